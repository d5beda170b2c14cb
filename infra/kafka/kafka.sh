#!/usr/bin/env bash
# Apache Kafka (KRaft, single node) from Maven Central jars, without Docker.
#   infra/kafka/kafka.sh fetch|start|stop|restart|status|reset
# Broker on 127.0.0.1:9092, controller on 127.0.0.1:9093 (KAFKA_PORT, KAFKA_CONTROLLER_PORT move them); data under
# $PEDIGREE_STATE_DIR/kafka.
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

KAFKA_DIR="$PEDIGREE_ROOT/infra/kafka"
KAFKA_LIB="$KAFKA_DIR/target/lib"
KAFKA_STATE="$PEDIGREE_STATE_DIR/kafka"
KAFKA_PID="$KAFKA_STATE/kafka.pid"
KAFKA_LOG="$KAFKA_STATE/kafka.log"
KAFKA_CONF="$KAFKA_STATE/server.properties"
KAFKA_HEAP="${KAFKA_HEAP:--Xms512m -Xmx1g}"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
# The services' SASL account, the same variables (and development defaults) the services' configuration reads.
# The broker reads them from its environment (server.properties refers to them as ${env:...}).
export KAFKA_SASL_USERNAME="${KAFKA_SASL_USERNAME:-pedigree}"
export KAFKA_SASL_PASSWORD="${KAFKA_SASL_PASSWORD:-pedigree-dev-kafka-secret}"

fetch() {
  if compgen -G "$KAFKA_LIB/kafka_2.13-*.jar" >/dev/null; then return 0; fi
  command -v mvn >/dev/null || die "Maven (mvn) is required to fetch the Kafka jars: apt-get install maven"
  log "fetching Kafka jars from Maven Central"
  (cd "$KAFKA_DIR" && mvn -q -B dependency:copy-dependencies -DoutputDirectory=target/lib -DincludeScope=runtime) \
    || die "mvn could not fetch the Kafka jars (see output above)"
}

# shellcheck disable=SC2206 # KAFKA_HEAP is a list of JVM flags on purpose
JAVA_CMD=(java $KAFKA_HEAP -XX:+UseG1GC -Djava.awt.headless=true
  "-Dlog4j2.configurationFile=$KAFKA_DIR/log4j2.properties" -cp "$KAFKA_LIB/*")
java_run() { "${JAVA_CMD[@]}" "$@"; }

format() {
  mkdir -p "$KAFKA_STATE/data"
  # Later keys win: the ports are set here, after the shared file's.
  {
    cat "$KAFKA_DIR/server.properties"
    echo "log.dirs=$KAFKA_STATE/data"
    echo "listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT"
    echo "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:$KAFKA_PORT"
    echo "controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT"
  } > "$KAFKA_CONF"
  if [ -f "$KAFKA_STATE/data/meta.properties" ]; then return 0; fi
  local cluster_id; cluster_id=$(java_run kafka.tools.StorageTool random-uuid | tail -n 1)
  log "formatting KRaft storage (cluster $cluster_id)"
  # The services' SCRAM account goes into the metadata at format time: nothing can sign in before it exists.
  java_run kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_CONF" --ignore-formatted \
    --add-scram "SCRAM-SHA-512=[name=$KAFKA_SASL_USERNAME,password=$KAFKA_SASL_PASSWORD]" >/dev/null
}

start() {
  if port_open 127.0.0.1 "$KAFKA_PORT"; then log "Kafka already answers on 127.0.0.1:$KAFKA_PORT"; return 0; fi
  fetch
  command -v java >/dev/null || die "java is required to run Kafka: apt-get install default-jre-headless"
  format
  log "starting Kafka (log: $KAFKA_LOG)"
  # setsid: the broker outlives the shell that started it; its pid is the java process itself.
  setsid nohup "${JAVA_CMD[@]}" kafka.Kafka "$KAFKA_CONF" >"$KAFKA_LOG" 2>&1 < /dev/null &
  echo $! > "$KAFKA_PID"
  wait_port 127.0.0.1 "$KAFKA_PORT" 90 Kafka "$KAFKA_PID"
  log "Kafka is up on 127.0.0.1:$KAFKA_PORT"
}

stop() { stop_pid "$KAFKA_PID" Kafka 30; }

status() {
  if port_open 127.0.0.1 "$KAFKA_PORT"; then echo "kafka: running on 127.0.0.1:$KAFKA_PORT"; else echo "kafka: stopped"; return 3; fi
}

reset() { stop; rm -rf "$KAFKA_STATE"; log "Kafka state removed"; }

case "${1:-}" in
  fetch) fetch ;;
  start) start ;;
  stop) stop ;;
  restart) stop; start ;;
  status) status ;;
  reset) reset ;;
  *) echo "usage: $0 fetch|start|stop|restart|status|reset" >&2; exit 2 ;;
esac
