#!/usr/bin/env bash
# Removes the stack's services and networks, and waits until they are gone. Volumes (the
# data) and secrets (the passwords that data was created with, the admin's password, the
# signing key, the TLS certificate and key) are kept: deploy.sh brings everything back as
# it was. To forget the data as well, once the stack is removed:
#   docker volume rm shopstack_users-db-data shopstack_products-db-data shopstack_orders-db-data shopstack_redis-data
#   docker secret rm shopstack_users_db_password shopstack_products_db_password shopstack_orders_db_password
#   docker secret rm shopstack_admin_password shopstack_signing_key
#   docker secret rm shopstack_tls_cert shopstack_tls_key     # if HTTPS_PORT was ever set
#   docker secret rm shopstack_users_db_monitor_password shopstack_products_db_monitor_password shopstack_orders_db_monitor_password   # MONITORING=1
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
