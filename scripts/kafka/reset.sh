#!/usr/bin/env bash
# Stop the broker and delete its data (topics, offsets); the jars stay.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$ROOT/scripts/kafka/down.sh"
rm -rf "$KAFKA_HOME/data" "$KAFKA_HOME/logs"
log "data removed"
