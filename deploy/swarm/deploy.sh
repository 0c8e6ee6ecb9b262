#!/usr/bin/env bash
# Deploys the stack, or updates it in place when it is already there:
#   deploy/swarm/deploy.sh                      # stack "shopstack", http://localhost:8080
#   STACK=demo HTTP_PORT=8081 deploy/swarm/deploy.sh
# Makes this engine a single-node swarm if it is in none, labels it as the data node if no
# node is, builds and tags the images (SKIP_BUILD=1 to use those already tagged), creates
# the database passwords as secrets if they are missing, deploys, and waits for every
# service to run all its tasks.
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

# --resolve-image never: on one node the images are local, and there is no registry to ask
# for their digests. With a registry (IMAGE_PREFIX), `always` pins each task to a digest.
docker stack deploy --detach=true --prune --resolve-image "${RESOLVE_IMAGE:-never}" -c "$STACK_FILE" "$STACK"
wait_converged
