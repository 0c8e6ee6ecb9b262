#!/usr/bin/env bash
# Deploys the stack, or updates it in place when it is already there:
#   deploy/swarm/deploy.sh                      # stack "shopstack", http://localhost:8080
#   STACK=demo HTTP_PORT=8081 deploy/swarm/deploy.sh
#   ADMIN_PASSWORD=… deploy/swarm/deploy.sh    # the admin's password, on the first deploy
# Makes this engine a single-node swarm if it is in none, labels it as the data node if no
# node is, builds and tags the images (SKIP_BUILD=1 to use those already tagged), creates
# the secrets that are missing (database passwords, the admin's password, the key that
# signs access tokens), deploys, and waits for every service to run all its tasks.
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

# A random password per database, made once: a database keeps the password its volume
# was created with, so a secret is never replaced behind its back (see README).
for db in users products orders; do
  secret="${SECRETS_PREFIX}_${db}_db_password"
  if ! docker secret inspect "$secret" >/dev/null 2>&1; then
    head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' | docker secret create "$secret" - >/dev/null
    echo "created secret $secret"
  fi
done

# The admin (ADMIN_EMAIL, admin@shopstack.local by default): its password is ADMIN_PASSWORD
# if given, else a random one, shown here once (a secret cannot be read back).
secret="${SECRETS_PREFIX}_admin_password"
if ! docker secret inspect "$secret" >/dev/null 2>&1; then
  if [ -n "${ADMIN_PASSWORD:-}" ]; then
    if [ "${#ADMIN_PASSWORD}" -lt 10 ]; then echo "ADMIN_PASSWORD must be at least 10 characters" >&2; exit 1; fi
    printf '%s' "$ADMIN_PASSWORD" | docker secret create "$secret" - >/dev/null
    echo "created secret $secret from ADMIN_PASSWORD"
  else
    password=$(head -c 18 /dev/urandom | od -An -tx1 | tr -d ' \n')
    printf '%s' "$password" | docker secret create "$secret" - >/dev/null
    echo "created secret $secret: ${ADMIN_EMAIL:-admin@shopstack.local} logs in with $password (shown once)"
  fi
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

# --resolve-image never: on one node the images are local, and there is no registry to ask
# for their digests. With a registry (IMAGE_PREFIX), `always` pins each task to a digest.
docker stack deploy --detach=true --prune --resolve-image "${RESOLVE_IMAGE:-never}" -c "$STACK_FILE" "$STACK"
wait_converged
