# Two commands for a newcomer: `make demo` and `make test`. Everything they
# need (npm packages, the Kafka broker from Maven Central) is installed here.
SHELL := /bin/bash
CLI := node dist/cli/main.js
export KAFKAJS_NO_PARTITIONER_WARNING := 1

.PHONY: install build check test test-unit test-integration demo bench bench-peer backtest kafka-up kafka-down kafka-reset topics clean

install: node_modules/.installed
node_modules/.installed: package.json package-lock.json
	@command -v node >/dev/null || { echo "Node.js 20+ is required"; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

build: install
	npx tsc -p tsconfig.build.json
	@chmod +x dist/cli/main.js

# Type-check everything (src, test, bench) and lint.
check: install
	npx tsc --noEmit
	npx eslint .

kafka-up: build
	scripts/kafka/up.sh
	$(CLI) topics

kafka-down:
	scripts/kafka/down.sh

# Stop the broker and delete its topics and offsets (the downloaded jars stay).
kafka-reset:
	scripts/kafka/reset.sh

topics: build
	$(CLI) topics

test-unit: install
	npx jest --selectProjects unit

test-integration: kafka-up
	npx jest --selectProjects cli integration --runInBand

# Unit tests need nothing; cli tests need the build; integration tests the broker.
test: check build kafka-up
	@mkdir -p out
	npx jest --selectProjects unit --json --outputFile=out/test-unit.json
	npx jest --selectProjects cli integration --runInBand --json --outputFile=out/test-integration.json
	@node scripts/test-summary.mjs out/test-unit.json out/test-integration.json

demo: kafka-up
	scripts/demo.sh

# Benchmarks: figures beside their targets, JSON in out/bench/. Never part of `make test`.
# Sizes (defaults are the issue's; smaller ones give a quick run): BENCH_ACCOUNTS (replay: a day of traffic for
# that many accounts), BENCH_MEMORY_ACCOUNTS, BENCH_E2E_RECORDS; see docs/performance.md for the other knobs.
BENCH_ACCOUNTS ?= 100000
BENCH_MEMORY_ACCOUNTS ?= 1000000
BENCH_E2E_RECORDS ?= 5000000
export BENCH_E2E_RECORDS
# The Node flags the container runs the detector with (deploy/Dockerfile's NODE_OPTIONS): the benches measure that.
RUN_NODE_FLAGS ?= --max-semi-space-size=64
BENCH_RUN_NODE_ARGS ?= $(RUN_NODE_FLAGS)
export BENCH_RUN_NODE_ARGS
bench: build bench-peer kafka-up
	npx tsc -p tsconfig.bench.json
	node $(RUN_NODE_FLAGS) dist-bench/bench/replay-throughput.js $(BENCH_ACCOUNTS)
	node --expose-gc --max-old-space-size=16384 dist-bench/bench/memory-per-account.js $(BENCH_MEMORY_ACCOUNTS)
	# Latency before the end to end: the broker removes a deleted topic's files a minute after the delete, and the
	# end to end's (gigabytes of input and changelog) would otherwise go in the middle of the latency's minute.
	node dist-bench/bench/latency.js
	node dist-bench/bench/e2e-throughput.js
	@node dist-bench/bench/summary.js

# The Kafka Streams peer of the end-to-end bench (Java 17, kafka-streams from Maven Central). Skipped without Maven.
bench-peer:
	@if command -v mvn >/dev/null && command -v java >/dev/null; then \
	  mvn -q -B -f bench/streams-peer/pom.xml compile dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory=target/lib; \
	else echo "mvn or java missing: the Kafka Streams peer is skipped"; fi

# A day of simulated traffic for 10,000 accounts, then the backtest with its HTML report in out/backtest/.
# Never part of `make test`. BACKTEST_ARGS adds options, e.g. BACKTEST_ARGS="--compare-policy candidate.yaml".
BACKTEST_ACCOUNTS ?= 10000
BACKTEST_HOURS ?= 24
BACKTEST_SEED ?= 1
backtest: build
	@mkdir -p out/backtest
	$(CLI) simulate --accounts $(BACKTEST_ACCOUNTS) --hours $(BACKTEST_HOURS) --seed $(BACKTEST_SEED) --output out/backtest/events.ndjson --labels out/backtest/labels.ndjson
	$(CLI) backtest --input out/backtest/events.ndjson --labels out/backtest/labels.ndjson --html out/backtest/report.html --json out/backtest/report.json $(BACKTEST_ARGS) | tee out/backtest/report.txt

clean:
	rm -rf dist dist-bench coverage out bench/streams-peer/target
