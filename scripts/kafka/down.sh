#!/usr/bin/env bash
# Stop the local broker cleanly (SIGTERM, then wait: SIGKILL would leave logs
# to recover on the next start). Nothing running is success.
set -euo pipefail
source "$(dirname "$0")/env.sh"

if ! pid=$(broker_pid); then
  log "no broker running"
  rm -f "$KAFKA_PID_FILE"
  exit 0
fi
log "stopping broker (pid $pid)"
kill -TERM "$pid"
for _ in $(seq 1 120); do
  if ! kill -0 "$pid" 2>/dev/null; then rm -f "$KAFKA_PID_FILE"; log "stopped"; exit 0; fi
  sleep 0.5
done
log "broker did not stop within 60 s; sending SIGKILL"
kill -KILL "$pid" 2>/dev/null || true
rm -f "$KAFKA_PID_FILE"
