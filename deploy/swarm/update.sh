#!/usr/bin/env bash
# Rolls new images out, one service after the other, one task at a time, each new task
# healthy before an old one stops; a task that fails rolls its service back:
#   TAG=v2 deploy/swarm/update.sh users api-gateway     # build, tag v2, roll out
# A setting alone needs no new image, e.g.:
#   docker service update --env-add LOG_LEVEL=debug shopstack_users
# (or change stack.yml and run deploy.sh again: Swarm updates what changed, the same way).
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/swarm/env.sh
[ $# -gt 0 ] || { echo "usage: TAG=<new tag> $0 <service>..." >&2; exit 2; }
if [ "${SKIP_BUILD:-0}" != 1 ]; then build_images; fi
for service in "$@"; do
  docker service update --detach=false --quiet --image "$IMAGE_PREFIX/$service:$TAG" "${STACK}_$service"
  echo "$service now runs $(docker service inspect --format '{{.Spec.TaskTemplate.ContainerSpec.Image}}' "${STACK}_$service")"
done
