#!/usr/bin/env bash
# Starts the whole Fairshare stack locally with demo data: embedded PostgreSQL 17, an in-process
# Kafka broker and the three services on 8081-8083. Needs only a JDK 17; the Maven wrapper brings
# Maven. Builds what is missing or out of date first. Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."

# stale MODULE BUILT-FILE: the file is missing or older than the module's sources
stale() {
  [ ! -f "$1/$2" ] && return 0
  [ -n "$(find "$1/src/main" "$1/pom.xml" -newer "$1/$2" -print -quit 2>/dev/null)" ]
}

app=target/quarkus-app/quarkus-run.jar
if stale registry-service $app || stale usage-service $app || stale settlement-service $app \
   || stale deploy/local-stack target/runner.classpath; then
  echo "Building Fairshare (tests skipped; ./mvnw verify runs them) ..."
  ./mvnw -q -B install -DskipTests -pl deploy/local-stack,registry-service,usage-service,settlement-service -am
fi

mkdir -p target/local-stack/tmp
exec java -Xmx512m -Djava.io.tmpdir=target/local-stack/tmp -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "deploy/local-stack/target/classes:$(cat deploy/local-stack/target/runner.classpath)" \
  dev.fairshare.localstack.LocalRunner "$(pwd)" "$@"
