#!/usr/bin/env bash
# Runs a service with another number of tasks, and waits until it does:
#   deploy/swarm/scale.sh api-gateway 4
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/swarm/env.sh
[ $# = 2 ] || { echo "usage: $0 <service> <replicas>" >&2; exit 2; }
docker service scale --detach=false "${STACK}_$1=$2"
