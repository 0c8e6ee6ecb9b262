#!/bin/sh
# Runs at start, after the templates are rendered (the official image's entrypoint runs
# /docker-entrypoint.d/*.sh in order; its template step is 20-). With HTTPS_PORT set,
# writes conf.d/https.conf (https/https.conf.template) and, when no certificate is given
# (TLS_CERT_FILE, TLS_KEY_FILE: mounted files, Docker secrets on Swarm), makes a
# self-signed one for this installation, kept in /etc/nginx/tls (a named volume): never in
# the image, never in the repository. Made again when PUBLIC_HOST changes.
set -eu

out=/etc/nginx/conf.d/https.conf
rm -f "$out"
[ -n "${HTTPS_PORT:-}" ] || exit 0

cert=${TLS_CERT_FILE:-}
key=${TLS_KEY_FILE:-}
if [ -z "$cert" ] || [ -z "$key" ]; then
  dir=/etc/nginx/tls
  cert=$dir/self-signed.crt
  key=$dir/self-signed.key
  names="DNS:localhost,IP:127.0.0.1"
  case "${PUBLIC_HOST:-}" in
    '') ;;
    *[!0-9.]*) names="$names,DNS:$PUBLIC_HOST" ;;
    *) names="$names,IP:$PUBLIC_HOST" ;;
  esac
  if [ ! -s "$cert" ] || [ ! -s "$key" ] || [ "$(cat "$dir/names" 2>/dev/null)" != "$names" ]; then
    umask 077
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 825 \
      -subj "/CN=${PUBLIC_HOST:-localhost}" -addext "subjectAltName=$names" \
      -keyout "$key" -out "$cert" 2>/dev/null
    echo "$names" >"$dir/names"
    echo "$0: made a self-signed certificate for $names"
  fi
fi

TLS_CERT=$cert TLS_KEY=$key envsubst '${HTTPS_PORT} ${PUBLIC_HOST} ${TLS_CERT} ${TLS_KEY}' \
  </etc/nginx/https/https.conf.template >"$out"
echo "$0: HTTPS on port $HTTPS_PORT"
