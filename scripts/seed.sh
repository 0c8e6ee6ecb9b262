#!/bin/sh
# Demo data, sent through nginx like any client: `docker compose run --rm seed`.
# Logs in as the admin (ADMIN_EMAIL, and the password in the file ADMIN_PASSWORD_FILE names:
# the compose file gives it the same one as users) to create products, signs up three customers, and places an
# order as one of them. Running it twice is fine: customers that exist are skipped,
# products only go into an empty catalogue, and Ada orders only once.
set -u
api=${API_URL:-http://nginx/api}

# $1 a path under the API, $2 a JSON body, $3 an access token or nothing: the answer's body.
post() {
  if [ -n "${3:-}" ]; then
    wget -qO- --header 'Content-Type: application/json' --header "Authorization: Bearer $3" --post-data "$2" "$api/$1"
  else
    wget -qO- --header 'Content-Type: application/json' --post-data "$2" "$api/$1"
  fi
}

# $1 a path, $2 an access token: the answer's body.
get() {
  wget -qO- --header "Authorization: Bearer $2" "$api/$1"
}

# Shows what was made, or says what was skipped.
show() {
  if [ -n "$1" ]; then echo "$1"; else echo "  (skipped: $2)"; fi
}

# A string as a JSON string's content (the admin's password may hold " or \).
json() {
  printf '%s' "$1" | sed 's/\\/\\\\/g; s/"/\\"/g'
}

# The access token of a login, or nothing.
login() {
  post auth/login "{\"email\":\"$(json "$1")\",\"password\":\"$(json "$2")\"}" | sed -nE 's/.*"accessToken":"([^"]+)".*/\1/p'
}

# The first "id" of a JSON answer.
id_of() {
  printf '%s' "$1" | sed -nE 's/^\{"id":"([^"]+)".*/\1/p'
}

echo "Seeding $api"
admin=$(login "$ADMIN_EMAIL" "$(cat "$ADMIN_PASSWORD_FILE")")
if [ -z "$admin" ]; then
  echo "cannot log in as $ADMIN_EMAIL: ADMIN_EMAIL must be the one users was started with (see .env)" >&2
  exit 1
fi
echo "  logged in as $ADMIN_EMAIL (admin)"

mug='' notebook=''
if get 'products?limit=1' "$admin" | grep -q '"total":0'; then
  created=$(post products '{"name":"Coffee mug","description":"350 ml, stoneware","priceCents":1250,"stock":40}' "$admin")
  show "$created" 'Coffee mug'
  mug=$(id_of "$created")
  created=$(post products '{"name":"Notebook","description":"A5, dotted","priceCents":899,"stock":120}' "$admin")
  show "$created" 'Notebook'
  notebook=$(id_of "$created")
  show "$(post products '{"name":"Mechanical keyboard","priceCents":12900,"stock":8}' "$admin")" 'Mechanical keyboard'
  show "$(post products '{"name":"Sticker pack","priceCents":300,"stock":500}' "$admin")" 'Sticker pack'
else
  echo "  (products exist already: skipped)"
fi

# Customers sign up themselves: anyone may. Demo passwords, for the console's "Log in".
show "$(post users '{"email":"ada@example.com","name":"Ada Lovelace","password":"ada-demo-password"}')" 'ada@example.com exists'
show "$(post users '{"email":"grace@example.com","name":"Grace Hopper","password":"grace-demo-password"}')" 'grace@example.com exists'
show "$(post users '{"email":"linus@example.com","name":"Linus Torvalds","password":"linus-demo-password"}')" 'linus@example.com exists'

# Ada orders as herself: the order is placed for whoever's token it carries.
ada=$(login ada@example.com ada-demo-password)
if [ -z "$ada" ]; then
  echo "  (order skipped: ada@example.com cannot log in)"
elif get 'orders?limit=1' "$ada" | grep -q '"total":0'; then
  if [ -z "$mug" ]; then mug=$(get 'products?limit=1' "$ada" | sed -nE 's/.*"items":\[\{"id":"([^"]+)".*/\1/p'); fi
  items="{\"productId\":\"$mug\",\"quantity\":2}"
  if [ -n "$notebook" ]; then items="$items,{\"productId\":\"$notebook\",\"quantity\":1}"; fi
  show "$(post orders "{\"items\":[$items]}" "$ada")" "Ada's order"
else
  echo "  (Ada has ordered already: skipped)"
fi

echo "Done: from the host, http://localhost:${HTTP_PORT:-8080}/api/products; log in on http://localhost:${HTTP_PORT:-8080}/ as ada@example.com (ada-demo-password) or $ADMIN_EMAIL"
