#!/usr/bin/env bash
# The ingestion benchmark of docs/benchmarks.md: N events (default 2,000,000) through Kafka into
# usage-service, against the limits measured on the same data in the same run.
# Usage: usage-service/bench/run-ingest-benchmark.sh [events] [http-events]
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests -pl deploy/local-stack,usage-service -am
./mvnw -q -B test-compile -pl usage-service
./mvnw -q -B -pl usage-service dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx2g -Dfairshare.repo="$(pwd)" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "usage-service/target/test-classes:$(cat usage-service/target/bench.classpath)" \
  dev.fairshare.usage.bench.IngestBenchmark "$@"
