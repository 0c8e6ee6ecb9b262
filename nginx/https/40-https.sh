#!/bin/sh
# Runs at start, after the templates are rendered (the official image's entrypoint runs
# /docker-entrypoint.d/*.sh in order; its template step is 20-). With HTTPS_PORT set,
# writes conf.d/https.conf (https/https.conf.template) with the certificate given
# (TLS_CERT_FILE, TLS_KEY_FILE: mounted files, Docker secrets on Swarm) or, unset, the
# self-signed one the secrets job made for this installation (/run/secrets: never in the
# image, never in the repository; made again when PUBLIC_HOST changes).
set -eu

out=/etc/nginx/conf.d/https.conf
rm -f "$out"
[ -n "${HTTPS_PORT:-}" ] || exit 0

cert=${TLS_CERT_FILE:-}
key=${TLS_KEY_FILE:-}
if [ -z "$cert" ] || [ -z "$key" ]; then
  cert=/run/secrets/tls_cert
  key=/run/secrets/tls_key
fi

TLS_CERT=$cert TLS_KEY=$key envsubst '${HTTPS_PORT} ${PUBLIC_HOST} ${TLS_CERT} ${TLS_KEY}' \
  </etc/nginx/https/https.conf.template >"$out"
echo "$0: HTTPS on port $HTTPS_PORT"
