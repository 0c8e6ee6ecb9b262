#!/usr/bin/env bash
# Deploys the stack, or updates it in place when it is already there:
#   deploy/swarm/deploy.sh                      # stack "shopstack", http://localhost:8080
#   STACK=demo HTTP_PORT=8081 deploy/swarm/deploy.sh
#   ADMIN_PASSWORD=… deploy/swarm/deploy.sh    # the admin's password, on the first deploy
#   HTTPS_PORT=8443 deploy/swarm/deploy.sh      # HTTPS too (stack.https.yml); again without it: off
#   MONITORING=0 deploy/swarm/deploy.sh         # without Prometheus and the exporters (stack.monitoring.yml)
# Makes this engine a single-node swarm if it is in none, labels it as the data node if no
# node is, builds and tags the images (SKIP_BUILD=1 to use those already tagged), creates
# the secrets that are missing (database and Redis passwords, Redis's ACL file, the admin's
# password, the key that signs access tokens, and with HTTPS_PORT the certificate), deploys,
# and waits for every service to run all its tasks.
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/swarm/env.sh

if [ "$(docker info --format '{{.Swarm.LocalNodeState}}')" != active ]; then
  # One node: its loopback address is enough. On several, run `docker swarm init
  # --advertise-addr <this node's address>` yourself first (see README).
  docker swarm init --advertise-addr "${ADVERTISE_ADDR:-127.0.0.1}" >/dev/null
  echo "this engine is now a single-node swarm (docker swarm leave --force to undo)"
fi

# Databases and Redis run where their volumes are: the one node labelled shopstack.data.
labelled=$(docker node ls -q | xargs docker node inspect --format '{{index .Spec.Labels "shopstack.data"}}' | grep -c '^true$' || true)
if [ "$labelled" = 0 ]; then
  if [ "$(docker node ls -q | wc -l)" -gt 1 ]; then
    echo "label the node that keeps the data first: docker node update --label-add shopstack.data=true <node>" >&2
    exit 1
  fi
  docker node update --label-add shopstack.data=true "$(docker info --format '{{.Swarm.NodeID}}')" >/dev/null
fi

if [ "${SKIP_BUILD:-0}" != 1 ]; then build_images; fi

# Every secret is made by the job that makes them for Compose (jobs/secrets, its image built
# above), here in a throwaway volume: each Swarm secret that is missing is created from it.
# Made once: a database keeps the password its volume was created with, so a secret is
# never replaced behind its back (see README).
made=$(docker volume create)
trap 'docker volume rm -f "$made" >/dev/null' EXIT
# As in the compose file: root (to hand files over), no network.
secrets_job() {
  docker run --rm -i --user root --network none -e PUBLIC_HOST="${PUBLIC_HOST:-}" -v "$made:/secrets" \
    --entrypoint node "$IMAGE_PREFIX/secrets:$TAG" dist/make-secrets.js "$@"
}
secrets_job >/dev/null
# The admin (ADMIN_EMAIL, admin@shopstack.local by default): its password is ADMIN_PASSWORD
# if given (on standard input, never in the job's environment), else the job's random one.
if [ -n "${ADMIN_PASSWORD:-}" ]; then
  if [ "${#ADMIN_PASSWORD}" -lt 10 ]; then echo "ADMIN_PASSWORD must be at least 10 characters" >&2; exit 1; fi
  printf '%s' "$ADMIN_PASSWORD" | secrets_job set admin_password >/dev/null
fi
# $1 a file the job made: the Swarm secret of that name, created from it.
create_secret() {
  secrets_job show "$1" </dev/null | docker secret create "${SECRETS_PREFIX}_$1" - >/dev/null
  echo "created secret ${SECRETS_PREFIX}_$1"
}
have_secret() { docker secret inspect "${SECRETS_PREFIX}_$1" >/dev/null 2>&1; }

for name in users_db_password products_db_password orders_db_password \
  users_db_monitor_password products_db_monitor_password orders_db_monitor_password; do
  have_secret "$name" || create_secret "$name"
done
if ! have_secret admin_password; then
  create_secret admin_password
  # A secret cannot be read back: shown here, once.
  [ -n "${ADMIN_PASSWORD:-}" ] || echo "${ADMIN_EMAIL:-admin@shopstack.local} logs in with $(secrets_job show admin_password </dev/null) (shown once)"
fi
# Redis's ACL file holds the hashes of its users' passwords: they are made together, or not at all.
# (redis_exporter_auth: the exporter's password file, JSON, for stack.monitoring.yml.)
redis_secrets="redis_acl redis_users_password redis_products_password redis_orders_password redis_api_gateway_password redis_healthcheck_password redis_admin_password redis_exporter_password redis_exporter_auth"
have=0
for name in $redis_secrets; do have_secret "$name" && have=$((have + 1)); done
if [ "$have" = 0 ]; then
  for name in $redis_secrets; do create_secret "$name"; done
elif [ "$have" != "$(echo $redis_secrets | wc -w)" ]; then
  echo "some of the Redis secrets ($redis_secrets) are missing: docker secret rm the others, then deploy again" >&2
  exit 1
fi

# The key users signs access tokens with: one for every users task, so that any task's
# token is good everywhere. A new Ed25519 private key (PEM, PKCS #8), made with openssl, or
# with Node in a throwaway container where openssl cannot.
new_signing_key() {
  if command -v openssl >/dev/null 2>&1 && openssl genpkey -algorithm ed25519 2>/dev/null; then return; fi
  docker run --rm node:24-alpine node -e \
    "process.stdout.write(require('node:crypto').generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }))"
}
secret="${SECRETS_PREFIX}_signing_key"
if ! docker secret inspect "$secret" >/dev/null 2>&1; then
  new_signing_key | docker secret create "$secret" - >/dev/null
  echo "created secret $secret"
fi

stack_files=(-c "$STACK_FILE")
# HTTPS: the certificate and its key as two secrets, nginx's alone, made once like the others
# (to change them, see README). From TLS_CERT_FILE and TLS_KEY_FILE, files on this machine,
# if set; else self-signed.
if [ -n "${HTTPS_PORT:-}" ]; then
  cert="${SECRETS_PREFIX}_tls_cert" key="${SECRETS_PREFIX}_tls_key"
  have=0
  docker secret inspect "$cert" >/dev/null 2>&1 && have=$((have + 1))
  docker secret inspect "$key" >/dev/null 2>&1 && have=$((have + 1))
  if [ "$have" = 1 ]; then
    echo "one of the secrets $cert and $key is missing: docker secret rm the other, then deploy again" >&2
    exit 1
  fi
  if [ "$have" = 0 ]; then
    if [ -n "${TLS_CERT_FILE:-}${TLS_KEY_FILE:-}" ]; then
      if [ ! -r "${TLS_CERT_FILE:-}" ] || [ ! -r "${TLS_KEY_FILE:-}" ]; then
        echo "TLS_CERT_FILE and TLS_KEY_FILE must both name files this script can read" >&2
        exit 1
      fi
      docker secret create "$cert" "$TLS_CERT_FILE" >/dev/null
      docker secret create "$key" "$TLS_KEY_FILE" >/dev/null
      echo "created secrets $cert and $key from $TLS_CERT_FILE and $TLS_KEY_FILE"
    else
      # The secrets job's, made for localhost, 127.0.0.1 and PUBLIC_HOST, as for Compose.
      create_secret tls_cert >/dev/null
      create_secret tls_key >/dev/null
      echo "created secrets $cert and $key: a self-signed certificate for localhost, 127.0.0.1${PUBLIC_HOST:+ and $PUBLIC_HOST}"
    fi
  fi
  stack_files+=(-c "$HTTPS_STACK_FILE")
fi

# Monitoring: its secrets are made above with the others (each database's `monitor`
# password, redis_exporter_auth); the configs are named after a hash of their files: a
# config cannot change in place, a new name can (stack.monitoring.yml). On unless MONITORING=0,
# as Compose starts its Monitoring block with the rest.
if [ "${MONITORING:-1}" != 0 ]; then
  MONITORING_CONFIG=$(cat monitoring/prometheus.swarm.yml monitoring/rules/*.yml | sha256sum | cut -c1-12)
  MONITOR_ROLE_CONFIG=$(sha256sum <monitoring/postgres/monitor-role.sh | cut -c1-12)
  export MONITORING_CONFIG MONITOR_ROLE_CONFIG
  stack_files+=(-c "$MONITORING_STACK_FILE")
fi

# --resolve-image never: on one node the images are local, and there is no registry to ask
# for their digests. With a registry (IMAGE_PREFIX), `always` pins each task to a digest.
docker stack deploy --detach=true --prune --resolve-image "${RESOLVE_IMAGE:-never}" "${stack_files[@]}" "$STACK"
wait_converged
