#!/usr/bin/env bash
# Installs what a fresh machine of this kind lacks, so that `npm run demo` and `npm test` work from a clean clone:
# Debian packages (Java, Maven, PostgreSQL, Chromium for the browser tests), npm dependencies, the Kafka jars.
# Each step is skipped when already done.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# `npm run demo` runs this first and then rebuilds dist: refuse before that while a demo runs (demo.ts writes the pid).
if [ "${1:-}" = --demo ] && pid_alive "$PEDIGREE_STATE_DIR/demo.pid"; then
  die "a demo is already running (pid $(cat "$PEDIGREE_STATE_DIR/demo.pid")); stop it first: Ctrl-C in its terminal, or kill -INT $(cat "$PEDIGREE_STATE_DIR/demo.pid")"
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
command -v java >/dev/null || need+=(default-jre-headless)
command -v mvn >/dev/null || need+=(maven)
command -v curl >/dev/null || need+=(curl)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)
[ -x /usr/bin/chromium ] || [ "${PEDIGREE_SKIP_BROWSER:-}" = 1 ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  log "installing Debian packages: ${need[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

cd "$PEDIGREE_ROOT"
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi

"$PEDIGREE_ROOT/infra/kafka/kafka.sh" fetch
