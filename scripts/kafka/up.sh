#!/usr/bin/env bash
# Start a single-node KRaft broker (combined broker and controller) on
# 127.0.0.1, or find the one already running. Waits until it answers.
# Topic creation is the CLI's job (`abuse-detector topics`), so the topic list
# lives in one place: src/config.
set -euo pipefail
source "$(dirname "$0")/env.sh"

if pid=$(broker_pid) && port_open "$KAFKA_PORT"; then
  log "broker already running (pid $pid) on 127.0.0.1:$KAFKA_PORT"
  exit 0
fi
if port_open "$KAFKA_PORT"; then
  log "port $KAFKA_PORT is taken by a process this repo did not start; set KAFKA_PORT to use another"
  exit 1
fi

"$ROOT/scripts/kafka/fetch.sh"
mkdir -p "$KAFKA_HOME/config" "$KAFKA_HOME/data" "$KAFKA_HOME/logs"

# A comment after a value becomes part of it in .properties files: keep comments on their own lines.
cat > "$KAFKA_HOME/config/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT,CONTROLLER://127.0.0.1:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://127.0.0.1:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$KAFKA_HOME/data
num.partitions=4
default.replication.factor=1
min.insync.replicas=1
auto.create.topics.enable=false
# Single node: internal topics must not ask for more replicas than exist,
# or transactional producers and consumer groups hang.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=4
# Tests join and leave groups often: do not wait for more members.
group.initial.rebalance.delay.ms=0
log.retention.hours=24
log.segment.bytes=67108864
# The broker shares this machine's cores with the detector and the load generators. Unthrottled, the log cleaner
# compacts a changelog's full segments at a core's speed (six 64 MB segments in about 2 s), and the detector's
# latency has a second-long stall each time (docs/performance.md, "The latency tail: the log cleaner"). Throttled,
# the same work is spread thin. 40 MB/s of cleaner reads and writes keeps up with the changelog at the benches' rates.
log.cleaner.io.max.bytes.per.second=41943040
PROPS

cat > "$KAFKA_HOME/config/log4j.properties" <<PROPS
log4j.rootLogger=INFO, file
log4j.appender.file=org.apache.log4j.RollingFileAppender
log4j.appender.file.File=$KAFKA_LOG
log4j.appender.file.MaxFileSize=20MB
log4j.appender.file.MaxBackupIndex=2
log4j.appender.file.layout=org.apache.log4j.PatternLayout
log4j.appender.file.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.org.apache.kafka.controller=INFO
PROPS

classpath="$KAFKA_LIB/*"
if [ ! -f "$KAFKA_HOME/data/meta.properties" ]; then
  cluster_id=$(java -cp "$classpath" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
  log "formatting storage (cluster id $cluster_id)"
  java -Dlog4j.configuration="file:$KAFKA_HOME/config/log4j.properties" -cp "$classpath" \
    kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_HOME/config/server.properties" >/dev/null
fi

log "starting Apache Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (logs: $KAFKA_LOG)"
: > "$KAFKA_LOG"
nohup java -Xms"$KAFKA_HEAP" -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
  -Dlog4j.configuration="file:$KAFKA_HOME/config/log4j.properties" \
  -cp "$classpath" kafka.Kafka "$KAFKA_HOME/config/server.properties" \
  > "$KAFKA_HOME/logs/stdout.log" 2>&1 < /dev/null &
echo $! > "$KAFKA_PID_FILE"

for _ in $(seq 1 120); do
  if ! broker_pid >/dev/null; then
    log "broker exited during start-up; last lines of $KAFKA_LOG:"
    tail -n 30 "$KAFKA_LOG" "$KAFKA_HOME/logs/stdout.log" >&2 || true
    exit 1
  fi
  if grep -q "Kafka Server started" "$KAFKA_LOG" 2>/dev/null && port_open "$KAFKA_PORT"; then
    log "broker started (pid $(cat "$KAFKA_PID_FILE"))"
    exit 0
  fi
  sleep 0.5
done
log "broker did not start within 60 s; see $KAFKA_LOG"
exit 1
