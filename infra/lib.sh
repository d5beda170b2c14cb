#!/usr/bin/env bash
# Shared helpers for the infra scripts: state directory, pid files, readiness waits.
# Every script is idempotent: start is a no-op when the service already answers.
set -euo pipefail

PEDIGREE_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PEDIGREE_STATE_DIR="${PEDIGREE_STATE_DIR:-$PEDIGREE_ROOT/.pedigree}"
mkdir -p "$PEDIGREE_STATE_DIR"

log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] error: %s\n' "$*" >&2; exit 1; }

# port_open HOST PORT: true when something accepts TCP connections there.
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

# wait_port HOST PORT SECONDS NAME [PIDFILE]: waits for the port, failing early if the process died.
wait_port() {
  local host=$1 port=$2 seconds=$3 name=$4 pidfile=${5:-}
  local deadline=$((SECONDS + seconds))
  until port_open "$host" "$port"; do
    if [ -n "$pidfile" ] && ! pid_alive "$pidfile"; then
      die "$name exited during start-up; see its log"
    fi
    [ $SECONDS -ge $deadline ] && die "$name did not open $host:$port within ${seconds}s"
    sleep 0.3
  done
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# stop_pid PIDFILE NAME: TERM, then KILL after a grace period; removes the pid file.
stop_pid() {
  local pidfile=$1 name=$2 grace=${3:-20}
  if ! pid_alive "$pidfile"; then rm -f "$pidfile"; log "$name is not running"; return 0; fi
  local pid; pid=$(cat "$pidfile")
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + grace))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then log "$name did not stop in ${grace}s; killing"; kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.2
  done
  rm -f "$pidfile"
  log "$name stopped"
}
