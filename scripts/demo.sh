#!/usr/bin/env bash
# `make demo`: a few minutes of generated traffic, with abusive accounts, into
# the telemetry topics of the local broker; the detector running beside it;
# violations printed as they arrive on the enforcement topic.
set -euo pipefail
cd "$(dirname "$0")/.."
CLI="node dist/cli/main.js"
OUT=out/demo
mkdir -p "$OUT"
rm -f "$OUT/watch.ready"
export KAFKAJS_NO_PARTITIONER_WARNING=1
# The demo has its own metrics port so it does not collide with a `run` you may have open.
export METRICS_PORT="${METRICS_PORT:-9465}"

# A deployment of its own for each demo: state from an earlier demo (cooldowns, open windows) would hide violations.
# It starts at the end of the telemetry topics, so only this demo's traffic counts, and forgets its state at exit.
export KAFKA_GROUP_ID="abuse-demo-$(date +%s)"
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  $CLI reset-state >/dev/null 2>&1 || true
}
trap cleanup EXIT

echo "== 1/3 watching abuse.violations (new violations only)"
$CLI watch --idle-exit-ms 15000 --ready-file "$OUT/watch.ready" &
watch_pid=$!
pids+=("$watch_pid")
for _ in $(seq 1 120); do [ -f "$OUT/watch.ready" ] && break; sleep 0.25; done
[ -f "$OUT/watch.ready" ] || { echo "the violation watcher did not join its group"; exit 1; }

echo "== 2/3 starting the detector (logs: $OUT/detector.log, metrics: http://127.0.0.1:$METRICS_PORT/metrics)"
LOG_LEVEL=info FROM_BEGINNING=false $CLI run 2> "$OUT/detector.log" &
pids+=("$!")
# Ready means in the group with its partitions restored: from here on, every record produced is read.
ready() { node -e 'fetch(process.argv[1]).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "http://127.0.0.1:$METRICS_PORT/readyz"; }
for _ in $(seq 1 240); do ready && break; sleep 0.25; done
ready || { echo "the detector did not become ready; see $OUT/detector.log"; exit 1; }

echo "== 3/3 streaming 5 minutes of traffic for 1,000 accounts (10 spammers, 10 robocallers, 40 heavy but legitimate texters)"
# Event times cover the last five minutes, as if the platform had just sent them.
$CLI generate --kafka --accounts 1000 --minutes 5 --start "$(date -u -d '-5 min' +%Y-%m-%dT%H:%M:%SZ)" --seed "$(date +%s)" --rate 5000

echo "== violations as they arrive (the watcher stops 15 s after the last one):"
wait "$watch_pid" || true
echo "== done. The detector is stopped now; rerun with: make demo"
