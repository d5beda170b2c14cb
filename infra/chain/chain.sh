#!/usr/bin/env bash
# Local EVM chain: a Hardhat node on 127.0.0.1:8545 (in-memory state; a restart is a new chain).
#   infra/chain/chain.sh start|stop|restart|status|deploy
# CHAIN_PORT moves it (the start/stop test runs a second node beside the shared one).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

CHAIN_STATE="$PEDIGREE_STATE_DIR/chain"
CHAIN_PID="$CHAIN_STATE/hardhat-node.pid"
CHAIN_LOG="$CHAIN_STATE/hardhat-node.log"
CHAIN_PORT="${CHAIN_PORT:-8545}"
HARDHAT="$PEDIGREE_ROOT/node_modules/.bin/hardhat"
mkdir -p "$CHAIN_STATE"
export HARDHAT_DISABLE_TELEMETRY_PROMPT=true

rpc_ready() {
  curl -sf -m 2 -H 'content-type: application/json' \
    -d '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}' "http://127.0.0.1:$CHAIN_PORT" >/dev/null 2>&1
}

start() {
  if rpc_ready; then log "chain already answers on 127.0.0.1:$CHAIN_PORT"; return 0; fi
  [ -x "$HARDHAT" ] || die "Hardhat is not installed: run npm ci first"
  log "starting Hardhat node (log: $CHAIN_LOG)"
  # The hardhat binary itself, not npx, and backgrounded on its own (not inside a subshell, whose pid $! would be):
  # the recorded pid is the node's, so stop really stops it.
  cd "$PEDIGREE_ROOT"
  setsid nohup "$HARDHAT" --config contracts/hardhat.config.ts node \
    --hostname 127.0.0.1 --port "$CHAIN_PORT" >"$CHAIN_LOG" 2>&1 </dev/null &
  echo $! >"$CHAIN_PID"
  wait_port 127.0.0.1 "$CHAIN_PORT" 120 "Hardhat node" "$CHAIN_PID"
  local deadline=$((SECONDS + 60))
  until rpc_ready; do
    [ $SECONDS -ge $deadline ] && die "Hardhat node did not answer JSON-RPC within 60s"
    sleep 0.3
  done
  log "chain is up on 127.0.0.1:$CHAIN_PORT"
}

stop() { stop_pid "$CHAIN_PID" "Hardhat node" 10; }

status() {
  if rpc_ready; then echo "chain: running on 127.0.0.1:$CHAIN_PORT"; else echo "chain: stopped"; return 3; fi
}

# Deploys the contracts unless the deployment file already points at live contracts on this very chain.
deploy() {
  rpc_ready || die "the chain is not running; start it first (infra/chain/chain.sh start)"
  [ -f "$PEDIGREE_ROOT/dist/infra/scripts/deploy-contracts.js" ] || die "build first: npm run build"
  (cd "$PEDIGREE_ROOT" && node dist/infra/scripts/deploy-contracts.js)
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  deploy) deploy ;;
  *) echo "usage: $0 start|stop|restart|status|deploy" >&2; exit 2 ;;
esac
