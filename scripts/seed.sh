#!/bin/sh
# Demo data, sent through nginx like any client: `docker compose run --rm seed`.
# Running it twice is fine: users that exist are skipped, and products only go into an
# empty catalogue.
set -u
api=${API_URL:-http://nginx/api}

post() {
  if wget -qO- --header 'Content-Type: application/json' --post-data "$2" "$api/$1"; then
    echo
  else
    echo "  (skipped: $1 $2)"
  fi
}

echo "Seeding $api"
post users '{"email":"ada@example.com","name":"Ada Lovelace"}'
post users '{"email":"grace@example.com","name":"Grace Hopper"}'
post users '{"email":"linus@example.com","name":"Linus Torvalds"}'
if wget -qO- "$api/products?limit=1" | grep -q '"total":0'; then
  post products '{"name":"Coffee mug","description":"350 ml, stoneware","priceCents":1250,"stock":40}'
  post products '{"name":"Notebook","description":"A5, dotted","priceCents":899,"stock":120}'
  post products '{"name":"Mechanical keyboard","priceCents":12900,"stock":8}'
  post products '{"name":"Sticker pack","priceCents":300,"stock":500}'
else
  echo "  (products exist already: skipped)"
fi
echo "Done: from the host, see http://localhost:${HTTP_PORT:-8080}/api/users and /api/products"
