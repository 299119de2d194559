#!/usr/bin/env bash
# The period-close benchmark of docs/benchmarks.md: a close of 1,000 agreements and 600,000
# roll-up rows through the running settlement-service.
# Usage: settlement-service/bench/run-close-benchmark.sh          (the whole close through the service)
#        settlement-service/bench/run-close-benchmark.sh engine   (the engine alone: 3 warm-ups, 5 runs)
set -euo pipefail
cd "$(dirname "$0")/../.."
./mvnw -q -B install -DskipTests -pl deploy/local-stack,settlement-service -am
./mvnw -q -B test-compile -pl settlement-service
./mvnw -q -B -pl settlement-service dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
main=dev.fairshare.settlement.bench.PeriodCloseBenchmark
if [ "${1:-}" = engine ]; then main=dev.fairshare.settlement.bench.CloseBenchmark; shift; fi
exec java -Xmx3g -Dfairshare.repo="$(pwd)" -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "settlement-service/target/test-classes:settlement-service/target/classes:$(cat settlement-service/target/bench.classpath)" \
  "$main" "$@"
