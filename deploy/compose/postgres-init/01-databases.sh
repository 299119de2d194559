#!/bin/bash
# Runs once, when the postgres-data volume is empty (docker-entrypoint-initdb.d): one database per
# service, each owned by its own login role. The passwords come from the container's environment
# (deploy/compose/.env). No service can read another's database.
set -euo pipefail

for db in registry usage settlement; do
  var="${db^^}_DB_PASSWORD"
  password="${!var:?$var is not set}"
  psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
       -v role="$db" -v password="$password" <<'SQL'
CREATE ROLE :"role" LOGIN PASSWORD :'password';
CREATE DATABASE :"role" OWNER :"role";
REVOKE ALL ON DATABASE :"role" FROM PUBLIC;
SQL
done
