#!/usr/bin/env bash
# The period-close benchmark of docs/benchmarks.md: a close of 1,000 agreements and 600,000
# roll-up rows through the running settlement-service.
# Usage: settlement-service/bench/run-close-benchmark.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests -pl deploy/local-stack,settlement-service -am
./mvnw -q -B test-compile -pl settlement-service
./mvnw -q -B -pl settlement-service dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
exec java -Xmx3g -Dfairshare.repo="$(pwd)" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "settlement-service/target/test-classes:$(cat settlement-service/target/bench.classpath)" \
  dev.fairshare.settlement.bench.PeriodCloseBenchmark "$@"
