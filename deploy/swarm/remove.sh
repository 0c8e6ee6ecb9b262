#!/usr/bin/env bash
# Removes the stack's services and networks, and waits until they are gone. Volumes (the
# data) and secrets (the passwords that data was created with, Redis's users, the admin's
# password, the signing key, the TLS certificate and key) are kept: deploy.sh brings
# everything back as it was. To forget the data as well, once the stack is removed:
#   docker volume rm shopstack_users-db-data shopstack_products-db-data shopstack_orders-db-data shopstack_redis-data
#   docker secret rm $(docker secret ls -q --filter name=shopstack_)
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/swarm/env.sh
docker stack rm "$STACK" >/dev/null
# Tasks stop and networks go in the background; a redeploy before then would fail.
for _ in $(seq 1 120); do
  if [ -z "$(docker ps -aq --filter "label=com.docker.stack.namespace=$STACK")" ] &&
     [ -z "$(docker network ls -q --filter "label=com.docker.stack.namespace=$STACK")" ]; then
    echo "stack $STACK removed; its volumes and secrets are kept"
    exit 0
  fi
  sleep 1
done
echo "stack $STACK still has containers or networks after 120 s" >&2
exit 1
