#!/usr/bin/env bash
# Faults under full load (docs/reliability.md): N events (default 1,000,000) over HTTP and Kafka as
# fast as this machine allows, 5% duplicates, 0.1% poison, usage-service killed with kill -9 twice
# and the broker restarted once; then every count against the generator's tally. Not part of
# ./mvnw verify (FullLoadIT runs only with -Dfairshare.fullload=true). local-stack is built in the
# same reactor, so that the run uses this tree's, whatever another build installed in ~/.m2.
# Usage: deploy/system-tests/bench/run-full-load.sh [events] [maven options, e.g. -o]
# Output: the figures on the console and in deploy/system-tests/target/faults/full-load.txt; logs of
# the broker, the services and PostgreSQL under deploy/system-tests/target/faults/.
set -euo pipefail
cd "$(dirname "$0")/../../.."
events="${1:-1000000}"
shift || true
./mvnw -q -B install -DskipTests "$@"
./mvnw -B verify -pl deploy/local-stack,deploy/system-tests "$@" \
  -Dit.test=FullLoadIT -Dfairshare.fullload=true -Dfairshare.fullload.events="$events" \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false
