#!/usr/bin/env bash
# PostgreSQL from the machine (Debian packages), without Docker.
#   infra/postgres/postgres.sh start|stop|restart|status|setup
# start: installs the server if absent, creates a cluster if none, starts it, waits until it accepts connections.
# setup: creates the application role and databases (idempotent).
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

PG_HOST=127.0.0.1
PG_PORT=${PGPORT:-5432}
APP_ROLE=${PEDIGREE_DB_ROLE:-pedigree}
APP_DATABASES=${PEDIGREE_DB_NAMES:-"pedigree pedigree_test"}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

install_server() {
  if command -v pg_lsclusters >/dev/null && [ -n "$(ls /usr/lib/postgresql 2>/dev/null)" ]; then return 0; fi
  log "PostgreSQL server not found; installing it from Debian packages"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >/dev/null
}

cluster() { pg_lsclusters --no-header 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }'; }

ensure_cluster() {
  if [ -n "$(cluster)" ]; then return 0; fi
  local version; version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  log "creating PostgreSQL $version cluster 'main' on port $PG_PORT"
  as_root pg_createcluster --port "$PG_PORT" "$version" main -- --auth-local=peer --auth-host=trust >/dev/null
}

# psql as the postgres superuser: over TCP when trust allows it, else over the socket with peer auth.
psql_admin() {
  if psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -tAqc 'select 1' >/dev/null 2>&1; then
    psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -tAq "$@"
  else
    as_root runuser -u postgres -- psql -p "$PG_PORT" -d postgres -v ON_ERROR_STOP=1 -tAq "$@"
  fi
}

ready() { pg_isready -h "$PG_HOST" -p "$PG_PORT" -q 2>/dev/null; }

start() {
  install_server
  if ready; then log "PostgreSQL already accepts connections on $PG_HOST:$PG_PORT"; return 0; fi
  ensure_cluster
  read -r version name <<<"$(cluster)"
  log "starting PostgreSQL $version/$name"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start || true
  local deadline=$((SECONDS + 60))
  until ready; do
    [ $SECONDS -ge $deadline ] && die "PostgreSQL did not accept connections within 60s (see /var/log/postgresql/)"
    sleep 0.3
  done
  log "PostgreSQL is up on $PG_HOST:$PG_PORT"
}

stop() {
  local c; c=$(cluster)
  if [ -z "$c" ] || ! ready; then log "PostgreSQL is not running"; return 0; fi
  read -r version name <<<"$c"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" stop -m fast
  log "PostgreSQL stopped"
}

setup() {
  ready || start
  psql_admin -c "DO \$\$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_ROLE') THEN CREATE ROLE $APP_ROLE LOGIN CREATEDB; END IF;
    END \$\$;" >/dev/null
  for db in $APP_DATABASES; do
    if [ "$(psql_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
      psql_admin -c "CREATE DATABASE $db OWNER $APP_ROLE" >/dev/null
      log "created database $db"
    fi
  done
  # The role must reach the databases over TCP; fail here with a clear message rather than in a service.
  for db in $APP_DATABASES; do
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$APP_ROLE" -d "$db" -tAqc 'select 1' >/dev/null 2>&1 \
      || die "role $APP_ROLE cannot connect to $db on $PG_HOST:$PG_PORT; allow it in pg_hba.conf (trust or a password in DATABASE_URL)"
  done
}

status() {
  if ready; then echo "postgres: running on $PG_HOST:$PG_PORT"; else echo "postgres: stopped"; return 3; fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  setup) setup ;;
  *) echo "usage: $0 start|stop|restart|status|setup" >&2; exit 2 ;;
esac
