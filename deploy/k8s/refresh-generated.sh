#!/usr/bin/env bash
# Copies the Kubernetes manifests that quarkus-kubernetes wrote at `./mvnw package`
# (<service>/target/kubernetes/kubernetes.yml, generated from the service's application.properties)
# to deploy/k8s/generated/<service>.yml, where kustomization.yaml and DeploymentManifestsTest
# (deploy/system-tests) read them. Run it after changing a quarkus.kubernetes.* or
# quarkus.container-image.* property, and commit the result with that change.
set -euo pipefail
cd "$(dirname "$0")/../.."

mkdir -p deploy/k8s/generated
for service in registry-service usage-service settlement-service; do
  source="$service/target/kubernetes/kubernetes.yml"
  if [ ! -f "$source" ]; then
    echo "$source is missing: run ./mvnw package -DskipTests first" >&2
    exit 1
  fi
  cp "$source" "deploy/k8s/generated/$service.yml"
  echo "deploy/k8s/generated/$service.yml <- $source"
done
