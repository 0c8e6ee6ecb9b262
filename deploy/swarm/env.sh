# Sourced by the scripts beside it: the names they share, each overridable from the
# environment (two stacks on one swarm differ by STACK).
STACK=${STACK:-shopstack}
# Where the images go: a plain name for a single node; on several nodes, a registry every
# node can pull from, e.g. IMAGE_PREFIX=registry.example.com:5000/shopstack (see README).
export IMAGE_PREFIX=${IMAGE_PREFIX:-shopstack}
export TAG=${TAG:-latest}
export SECRETS_PREFIX=${SECRETS_PREFIX:-$STACK}
# The images built from this repository (Postgres and Redis are pulled as they are); secrets
# is the job deploy.sh makes the secrets with, not a service of the stack.
BUILT_SERVICES="nginx api-gateway users products orders secrets"
STACK_FILE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/stack.yml"
# Added to it when HTTPS_PORT is set: nginx's TLS port and certificate, a Secure cookie.
HTTPS_STACK_FILE="$(dirname "$STACK_FILE")/stack.https.yml"
# Added unless MONITORING=0: Prometheus and the exporters (the compose file's Monitoring block).
MONITORING_STACK_FILE="$(dirname "$STACK_FILE")/stack.monitoring.yml"
# How long to wait for the stack to converge before giving up.
CONVERGE_TIMEOUT_S=${CONVERGE_TIMEOUT_S:-300}

# Builds the images with the compose file (one recipe for both) and tags them for the
# stack; PUSH=1 pushes them to the registry in IMAGE_PREFIX, for the other nodes to pull.
build_images() {
  docker compose -p "$STACK" build $BUILT_SERVICES
  for service in $BUILT_SERVICES; do
    docker tag "$STACK-$service" "$IMAGE_PREFIX/$service:$TAG"
    if [ "${PUSH:-0}" = 1 ]; then docker push "$IMAGE_PREFIX/$service:$TAG"; fi
  done
}

# Waits until every service of the stack runs as many tasks as it wants (global services:
# one per eligible node) and no rolling update is still under way, then prints how long
# that took.
wait_converged() {
  local started=$SECONDS pending services
  while :; do
    services=$(docker stack services -q "$STACK")
    pending=$(docker stack services "$STACK" --format '{{.Name}} {{.Replicas}}' |
      awk '{ split($2, r, "/"); sub(/ .*/, "", r[2]); if (r[1] != r[2]) print $1 " " $2 }')
    if [ -n "$services" ]; then
      pending+=$(docker service inspect --format '{{.Spec.Name}} {{if .UpdateStatus}}{{.UpdateStatus.State}}{{end}}' $services |
        grep -E ' (updating|rollback_started)$' || true)
    fi
    if [ -n "$services" ] && [ -z "$pending" ]; then break; fi
    if (( SECONDS - started > CONVERGE_TIMEOUT_S )); then
      echo "not converged after ${CONVERGE_TIMEOUT_S}s:" >&2
      echo "$pending" >&2
      docker stack ps "$STACK" --no-trunc --filter desired-state=running >&2
      return 1
    fi
    sleep 1
  done
  echo "converged in $(( SECONDS - started ))s"
}
