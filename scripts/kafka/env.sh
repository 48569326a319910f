# Shared settings for the local broker scripts; sourced, not run.
# Everything the broker writes lives under .kafka/ in the repo (git-ignored).
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/scripts/kafka/pom.xml")
# KAFKA_HOME may point elsewhere for a second, private broker (a test restarts one); the jars stay shared.
KAFKA_HOME="${KAFKA_HOME:-$ROOT/.kafka}"
KAFKA_LIB="$ROOT/.kafka/lib"
KAFKA_PORT="${KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"
KAFKA_HEAP="${KAFKA_HEAP:-768m}"
KAFKA_PID_FILE="$KAFKA_HOME/broker.pid"
KAFKA_LOG="$KAFKA_HOME/logs/server.log"

log() { printf '[kafka] %s\n' "$*" >&2; }

broker_pid() {
  # Prints the pid of the broker this repo started, if it is still alive.
  [ -f "$KAFKA_PID_FILE" ] || return 1
  local pid; pid=$(cat "$KAFKA_PID_FILE")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && echo "$pid"
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
