#!/bin/sh
# The demo world of deploy/local-stack's DemoSeed, through the public REST API, for a stack that
# runs from images (deploy/compose: `docker compose --profile demo up seed-demo`), or by hand:
#
#   REGISTRY_URL=http://localhost:8081 USAGE_URL=http://localhost:8082 \
#   REGISTRY_MANAGEMENT_URL=http://localhost:9081 USAGE_MANAGEMENT_URL=http://localhost:9082 \
#   FAIRSHARE_ADMIN_PASSWORD=... deploy/compose/seed-demo.sh
#
# (the *_MANAGEMENT_URL are the services' management interfaces, where /q/health is served)
#
# Two makers, a model and a model derived from it, two platforms, three agreements, the demo
# accounts (finance, coqui, voicelab, acme; password FAIRSHARE_DEMO_PASSWORD, default
# "fairshare-demo") and 150 usage events per platform over the previous and the current UTC month (generated like DemoSeed's, from
# a fixed pseudo-random seed, but not the same values). POSIX sh + curl only (the curl image has
# no bash). Safe to run again: existing entities answer 409 and events are de-duplicated by eventId.
#
# Authentication: when registry-service answers POST /auth/token, the script logs in as the admin
# (FAIRSHARE_ADMIN_USER, default "admin", and FAIRSHARE_ADMIN_PASSWORD) and sends each platform's
# usage with a token from an API key of that platform; when it answers 404 (a build without
# authentication), it sends no token.
set -eu

REGISTRY_URL=${REGISTRY_URL:-http://localhost:8081}
USAGE_URL=${USAGE_URL:-http://localhost:8082}
REGISTRY_MANAGEMENT_URL=${REGISTRY_MANAGEMENT_URL:-http://localhost:9081}
USAGE_MANAGEMENT_URL=${USAGE_MANAGEMENT_URL:-http://localhost:9082}
ADMIN_USER=${FAIRSHARE_ADMIN_USER:-admin}
ADMIN_PASSWORD=${FAIRSHARE_ADMIN_PASSWORD:-}
# the password of the demo accounts finance, coqui, voicelab and acme (a demo, not for production)
DEMO_PASSWORD=${FAIRSHARE_DEMO_PASSWORD:-fairshare-demo}
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

# call METHOD URL BODY [TOKEN]: prints the HTTP status; the answer is in $OUT
call() {
    if [ -n "${4:-}" ]; then
        curl -sS -o "$OUT" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' \
            -H "Authorization: Bearer $4" --data-binary "$3" "$2"
    else
        curl -sS -o "$OUT" -w '%{http_code}' -X "$1" -H 'Content-Type: application/json' \
            --data-binary "$3" "$2"
    fi
}

# create PATH BODY: POST to the registry; 201 created, 409 there already (a second run)
create() {
    status=$(call POST "$REGISTRY_URL$1" "$2" "$ADMIN_TOKEN")
    case $status in
        201) echo "created  $1 $(printf '%s' "$2" | cut -c1-60)" ;;
        409) echo "exists   $1 $(printf '%s' "$2" | cut -c1-60)" ;;
        *) echo "POST $1 answered $status: $(cat "$OUT")" >&2; exit 1 ;;
    esac
}

# json_field NAME: the string value of a top-level field of the answer in $OUT
json_field() {
    sed -n "s/.*\"$1\"[[:space:]]*:[[:space:]]*\"\([^\"]*\)\".*/\1/p" "$OUT" | head -n 1
}

wait_ready() {
    i=0
    until curl -fsS -o /dev/null "$1/q/health/ready"; do
        i=$((i + 1))
        if [ "$i" -ge 120 ]; then echo "$1 is not ready after 120 s" >&2; exit 1; fi
        sleep 1
    done
}

wait_ready "$REGISTRY_MANAGEMENT_URL"
wait_ready "$USAGE_MANAGEMENT_URL"

ADMIN_TOKEN=
status=$(call POST "$REGISTRY_URL/auth/token" \
    "{\"username\":\"$ADMIN_USER\",\"password\":\"$ADMIN_PASSWORD\"}")
case $status in
    200) ADMIN_TOKEN=$(json_field accessToken) ;;
    404) echo "registry-service has no /auth/token: seeding without tokens" ;;
    *) echo "POST /auth/token as $ADMIN_USER answered $status: $(cat "$OUT")" >&2; exit 1 ;;
esac

# --- the months: previous and current (UTC) ---
year=$(date -u +%Y)
month=$(date -u +%m); month=${month#0}
today=$(date -u +%d); today=${today#0}
hour_now=$(date -u +%H); hour_now=${hour_now#0}
if [ "$month" -eq 1 ]; then prev_year=$((year - 1)); prev_month=12
else prev_year=$year; prev_month=$((month - 1)); fi

days_in() { # YEAR MONTH
    case $2 in
        2) if [ $(($1 % 4)) -eq 0 ] && { [ $(($1 % 100)) -ne 0 ] || [ $(($1 % 400)) -eq 0 ]; }
           then echo 29; else echo 28; fi ;;
        4 | 6 | 9 | 11) echo 30 ;;
        *) echo 31 ;;
    esac
}
start=$(printf '%04d-%02d-01T00:00:00Z' "$prev_year" "$prev_month")

# --- the registry ---
create /makers '{"id":"coqui","name":"Coqui"}'
create /makers '{"id":"voicelab","name":"VoiceLab"}'
# onboarding answers each platform's Kafka credentials once (a second run finds them onboarded:
# POST /platforms/{id}/kafka-credentials issues new ones)
for platform in "acme-cloud:Acme Cloud" "nimbus-ai:Nimbus AI"; do
    create /platforms "{\"id\":\"${platform%%:*}\",\"name\":\"${platform#*:}\"}"
    if grep -q '"kafka"' "$OUT"; then
        echo "kafka    ${platform%%:*}: username $(json_field username) password $(json_field password)" \
            "topic $(json_field topic) bootstrap $(json_field bootstrapServers)" \
            "security.protocol $(json_field securityProtocol) sasl.mechanism $(json_field saslMechanism)"
    fi
done
create /models '{"id":"xtts-v2","makerId":"coqui","name":"XTTS v2","license":{"id":"CPML","commercialUse":true}}'
create /models '{"id":"xtts-v2-nordic","makerId":"voicelab","name":"XTTS v2 Nordic","license":{"id":"CC-BY-NC-4.0","commercialUse":false},"parents":[{"modelId":"xtts-v2","royaltyShare":"0.30"}]}'
# coqui's Hugging Face organisation is its namespace (ADMIN grants it); the aliases are added as
# ADMIN here (DemoSeed adds them as coqui and as acme-cloud)
if [ -n "$ADMIN_TOKEN" ]; then
    create /makers/coqui/namespaces '{"prefix":"coqui/"}'
fi
create /models/xtts-v2/aliases '{"ref":"coqui/XTTS-v2"}'
create /models/xtts-v2-nordic/aliases '{"ref":"nordic-tts","platformId":"acme-cloud"}'
create /agreements "{\"id\":\"acme-coqui\",\"makerId\":\"coqui\",\"platformId\":\"acme-cloud\",\"currency\":\"USD\",\"validFrom\":\"$start\",\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.20\"},\"minimumGuarantee\":\"25.00\"}"
create /agreements "{\"id\":\"acme-voicelab\",\"makerId\":\"voicelab\",\"platformId\":\"acme-cloud\",\"modelId\":\"xtts-v2-nordic\",\"currency\":\"USD\",\"validFrom\":\"$start\",\"terms\":{\"type\":\"PER_UNIT\",\"metric\":\"characters\",\"unitSize\":\"1000\",\"tiers\":[{\"upTo\":\"100000\",\"price\":\"0.05\"},{\"upTo\":null,\"price\":\"0.03\"}]}}"
create /agreements "{\"id\":\"nimbus-coqui\",\"makerId\":\"coqui\",\"platformId\":\"nimbus-ai\",\"currency\":\"EUR\",\"validFrom\":\"$start\",\"terms\":{\"type\":\"REVENUE_SHARE\",\"rate\":\"0.15\"}}"
# nimbus-ai serves voicelab's non-commercial model without an agreement: unlicensed usage

# --- the demo accounts of DemoSeed (only where the registry has accounts) ---
if [ -n "$ADMIN_TOKEN" ]; then
    for account in \
        'finance|"role":"FINANCE"' \
        'finance2|"role":"FINANCE"' \
        'coqui|"role":"MAKER","makerId":"coqui"' \
        'voicelab|"role":"MAKER","makerId":"voicelab"' \
        'acme|"role":"PLATFORM","platformId":"acme-cloud"'; do
        create /accounts "{\"username\":\"${account%%|*}\",\"password\":\"$DEMO_PASSWORD\",${account#*|}}"
    done
fi

# --- usage: 150 events per platform, deterministic for a given day ---
seed=42
rand() { # N: the next pseudo-random number in [0, N) (a 31-bit linear congruential generator)
    seed=$(((seed * 1103515245 + 12345) % 2147483648))
    r=$((seed / 65536 % $1))
}

total=0
for platform in acme-cloud nimbus-ai; do
    token=
    if [ -n "$ADMIN_TOKEN" ]; then
        status=$(call POST "$REGISTRY_URL/platforms/$platform/api-keys" '' "$ADMIN_TOKEN")
        [ "$status" = 201 ] || { echo "api key for $platform: $status $(cat "$OUT")" >&2; exit 1; }
        key=$(json_field apiKey)
        status=$(call POST "$REGISTRY_URL/auth/token" "{\"apiKey\":\"$key\"}")
        [ "$status" = 200 ] || { echo "token for $platform: $status $(cat "$OUT")" >&2; exit 1; }
        token=$(json_field accessToken)
    fi
    body=
    i=0
    while [ $i -lt 150 ]; do
        if [ $((i % 2)) -eq 0 ]; then y=$prev_year; m=$prev_month; last=$(days_in "$y" "$m")
        else y=$year; m=$month; last=$today; fi
        rand "$last"; d=$((1 + r))
        if [ "$y" -eq "$year" ] && [ "$m" -eq "$month" ] && [ "$d" -eq "$today" ]; then
            hours=$hour_now; [ "$hours" -lt 1 ] && hours=1
        else hours=24; fi
        rand "$hours"; h=$r
        rand 60; mi=$r
        at=$(printf '%04d-%02d-%02dT%02d:%02d:00Z' "$y" "$m" "$d" "$h" "$mi")
        if [ "$platform" = acme-cloud ]; then
            if [ $((i % 3)) -eq 0 ]; then ref=nordic-tts; else ref=coqui/XTTS-v2; fi
            currency=USD
        else
            if [ $((i % 4)) -lt 2 ]; then ref=xtts-v2-nordic; else ref=xtts-v2; fi
            currency=EUR
        fi
        if [ $((i % 5)) -eq 0 ]; then customer=NON_COMMERCIAL; else customer=COMMERCIAL; fi
        rand 4000; chars=$((200 + r))
        rand 3; units=$r
        rand 10000; amount=$(printf '%d.%04d' "$units" "$r")
        event="{\"eventId\":\"$platform-demo-$i\",\"platformId\":\"$platform\",\"modelRef\":\"$ref\",\"occurredAt\":\"$at\",\"customerType\":\"$customer\",\"units\":{\"requests\":1,\"characters\":$chars,\"audio_seconds\":$((chars / 15))},\"revenue\":{\"amount\":\"$amount\",\"currency\":\"$currency\"}}"
        body="$body${body:+,}$event"
        i=$((i + 1))
    done
    # usage-service learns of new platforms from the registry topics within moments; posting
    # again is safe (de-duplicated by eventId) until no event is refused as UNKNOWN_PLATFORM
    attempt=0
    while :; do
        status=$(call POST "$USAGE_URL/usage-events" "[$body]" "$token")
        [ "$status" = 202 ] || { echo "POST /usage-events: $status $(cat "$OUT")" >&2; exit 1; }
        accepted=$(sed -n 's/.*"accepted"[[:space:]]*:[[:space:]]*\([0-9]*\).*/\1/p' "$OUT")
        total=$((total + ${accepted:-0}))
        if ! grep -q UNKNOWN_PLATFORM "$OUT"; then break; fi
        attempt=$((attempt + 1))
        if [ "$attempt" -ge 60 ]; then echo "usage-service still refuses $platform" >&2; exit 1; fi
        sleep 1
    done
    echo "usage    $platform: $(cat "$OUT" | cut -c1-120)"
done
echo "Demo data seeded: 2 makers, 2 models, 2 platforms, 3 agreements, $total usage events accepted."
