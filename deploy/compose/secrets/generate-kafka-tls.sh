#!/bin/sh
# Generates the TLS key and certificate of the broker's external listener (port 19092, where
# platforms connect with SCRAM-SHA-512): a CA of its own (kafka-ca.crt: hand it to the platforms
# as their truststore, ssl.truststore.type=PEM) and the listener's certificate for
# KAFKA_EXTERNAL_HOST, key and chain in kafka-external.pem (ssl.keystore.type=PEM). Files are
# git-ignored. Refuses to overwrite them.
set -eu
cd "$(dirname "$0")"
host="${KAFKA_EXTERNAL_HOST:-localhost}"
if [ -e kafka-external.pem ] || [ -e kafka-ca.crt ]; then
  echo "kafka-external.pem or kafka-ca.crt exists already; move them away to make new ones" >&2
  exit 1
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
openssl req -x509 -newkey rsa:2048 -nodes -days 825 -subj "/CN=Fairshare Kafka CA" \
  -keyout "$tmp/ca.key" -out kafka-ca.crt
openssl req -newkey rsa:2048 -nodes -subj "/CN=$host" -keyout "$tmp/broker.key" -out "$tmp/broker.csr"
printf 'subjectAltName=DNS:%s,DNS:localhost\n' "$host" > "$tmp/san.ext"
openssl x509 -req -in "$tmp/broker.csr" -CA kafka-ca.crt -CAkey "$tmp/ca.key" -CAcreateserial \
  -days 825 -extfile "$tmp/san.ext" -out "$tmp/broker.crt"
# Kafka's PEM keystore: an unencrypted PKCS#8 key, then the certificate chain
openssl pkcs8 -topk8 -nocrypt -in "$tmp/broker.key" > kafka-external.pem
cat "$tmp/broker.crt" kafka-ca.crt >> kafka-external.pem
chmod 0644 kafka-ca.crt
# the kafka container runs as uid 1000 and reads the file through a bind mount
chmod 0644 kafka-external.pem
echo "Wrote $(pwd)/kafka-external.pem (the listener's key) and kafka-ca.crt (for the platforms)."
echo "On a shared host, prefer: sudo chown 1000 kafka-external.pem && sudo chmod 0400 kafka-external.pem"
