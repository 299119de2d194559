#!/bin/sh
# Generates the JWT key pair for deploy/compose: registry-service signs tokens with privateKey.pem
# (SMALLRYE_JWT_SIGN_KEY_LOCATION); every service verifies them with publicKey.pem
# (MP_JWT_VERIFY_PUBLICKEY_LOCATION). Both files are git-ignored. Refuses to overwrite a key.
# The private key is readable by its owner only (0600) from the moment it exists.
set -eu
cd "$(dirname "$0")"
if [ -e privateKey.pem ] || [ -e publicKey.pem ]; then
  echo "privateKey.pem or publicKey.pem exists already; move it away to make a new pair" >&2
  exit 1
fi
umask 077
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out privateKey.pem
chmod 0600 privateKey.pem
openssl pkey -in privateKey.pem -pubout -out publicKey.pem
chmod 0644 publicKey.pem
# the containers run as uid 185 and read the files through bind mounts: the private key must be
# that user's (it stays unreadable to everyone else)
if [ "$(id -u)" = 0 ]; then
  chown 185 privateKey.pem
  echo "Wrote $(pwd)/privateKey.pem (0600, owner uid 185) and publicKey.pem."
else
  echo "Wrote $(pwd)/privateKey.pem (0600) and publicKey.pem."
  echo "registry-service runs as uid 185 and must read the private key: sudo chown 185 privateKey.pem"
fi
