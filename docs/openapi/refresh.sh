#!/usr/bin/env bash
# Regenerates docs/openapi/{registry,usage,settlement}.yaml: each service's OpenApiDocumentTest
# writes the document the service serves (and otherwise fails while a committed copy differs
# from it). OpenApiLintTest (deploy/system-tests) lints the copies, and deploy/system-tests
# generates its client from them.
set -euo pipefail
cd "$(dirname "$0")/../.."
MVN=${MVN:-./mvnw}
$MVN -B -q -pl registry-service,usage-service,settlement-service test \
  -Dtest=OpenApiDocumentTest -Dsurefire.failIfNoSpecifiedTests=false -Dfairshare.openapi.refresh=true
git status --short docs/openapi
