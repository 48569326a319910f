#!/usr/bin/env bash
# Resolve the Apache Kafka broker and its runtime jars from Maven Central into
# .kafka/lib. No tarball, no Docker: Maven's copy-dependencies over pom.xml.
# Idempotent: a marker file records which version is already there.
set -euo pipefail
source "$(dirname "$0")/env.sh"

marker="$KAFKA_LIB/.kafka-$KAFKA_VERSION"
if [ -f "$marker" ]; then exit 0; fi
command -v mvn >/dev/null || { log "mvn not found: install Maven (apt-get install -y maven) and Java 17"; exit 1; }
command -v java >/dev/null || { log "java not found: install a Java 17 runtime"; exit 1; }

log "resolving Apache Kafka $KAFKA_VERSION from Maven Central (first run only)"
rm -rf "$KAFKA_LIB.tmp"
mvn -q -B -f "$ROOT/scripts/kafka/pom.xml" dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIB.tmp"
rm -rf "$KAFKA_LIB"
mv "$KAFKA_LIB.tmp" "$KAFKA_LIB"
touch "$marker"
log "installed $(ls "$KAFKA_LIB" | wc -l) jars into $KAFKA_LIB"
