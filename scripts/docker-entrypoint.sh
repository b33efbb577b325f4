#!/bin/sh
# The container's entrypoint: standin listens on every interface, so it
# must not use the well-known default credentials. STANDIN_SECRET is the
# secret from which the default namespace's credentials derive.
set -eu
STANDIN_BIN="${STANDIN_BIN:-/usr/local/bin/standin}"
[ $# -gt 0 ] || set -- serve
if [ "$1" = "serve" ]; then
  if [ -z "${STANDIN_SECRET:-}" ]; then
    cat >&2 <<'MSG'
standin: STANDIN_SECRET is not set.

In a container standin listens on 0.0.0.0, where the well-known default
credentials would let anyone who reaches the ports in. Choose a secret:

  docker run -e STANDIN_SECRET=$(openssl rand -hex 16) -p 8700-8704:8700-8704 standin

The default namespace's credentials derive from it; the start-up banner
(docker logs) prints them.
MSG
    exit 64
  fi
  export STANDIN_HOST="${STANDIN_HOST:-0.0.0.0}"
  # Clients reach the container through its published ports on the host:
  # base URLs say 127.0.0.1 unless told otherwise (docker run -e
  # STANDIN_PUBLIC_URL=http://standin.lan).
  export STANDIN_PUBLIC_URL="${STANDIN_PUBLIC_URL:-http://127.0.0.1}"
fi
exec "$STANDIN_BIN" "$@"
