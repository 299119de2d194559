#!/bin/sh
# Generates the JWT key pair for deploy/compose: registry-service signs tokens with privateKey.pem
# (SMALLRYE_JWT_SIGN_KEY_LOCATION); every service verifies them with publicKey.pem
# (MP_JWT_VERIFY_PUBLICKEY_LOCATION). Both files are git-ignored. Refuses to overwrite a key.
set -eu
cd "$(dirname "$0")"
if [ -e privateKey.pem ] || [ -e publicKey.pem ]; then
  echo "privateKey.pem or publicKey.pem exists already; move it away to make a new pair" >&2
  exit 1
fi
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out privateKey.pem
openssl pkey -in privateKey.pem -pubout -out publicKey.pem
# the containers run as uid 185 and read the files through bind mounts
chmod 0644 publicKey.pem
chmod 0644 privateKey.pem
echo "Wrote $(pwd)/privateKey.pem and publicKey.pem."
echo "On a shared host, prefer: sudo chown 185 privateKey.pem && sudo chmod 0400 privateKey.pem"
