#!/usr/bin/env bash
# Sets up the demo at a running Pushgate, as ./run.sh does on this machine: the gateway's roles
# ANONYMOUS (read), CLIENT (read, and post and edit one's own messages in the chat) and MODERATOR
# (backend-app's moderator), the chat rooms chat/lobby and chat/random, and the view usd of the BTC
# price (views/btc/usd). Run it once after `docker compose up` or against `kubectl port-forward`s
# (deploy/README.md); it only PUTs, so running it again changes nothing.
#   AUTH_ADMIN_PASSWORD=... deploy/seed-demo.sh
#   AUTH_ADMIN_PASSWORD=... GATEWAY_URL=https://pushgate.example.com AUTH_URL=https://pushgate.example.com deploy/seed-demo.sh
set -euo pipefail

GATEWAY_URL="${GATEWAY_URL:-http://localhost:8080}"
AUTH_URL="${AUTH_URL:-http://localhost:8081}"
die() { echo "seed-demo.sh: $*" >&2; exit 1; }
[ -n "${AUTH_ADMIN_PASSWORD:-}" ] || die "set AUTH_ADMIN_PASSWORD (the auth-service's admin password)"
command -v curl >/dev/null 2>&1 || die "no curl on the PATH"

ADMIN_TOKEN=$(curl -fsS -d grant_type=password -d username=admin --data-urlencode "password=$AUTH_ADMIN_PASSWORD" "$AUTH_URL/v1/token" \
  | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p') || die "the auth-service at $AUTH_URL refused the admin's sign-in"
[ -n "$ADMIN_TOKEN" ] || die "no token in the auth-service's answer ($AUTH_URL/v1/token)"

body=$(mktemp)
trap 'rm -f "$body"' EXIT
put() { # path body [content-type]
  local code
  code=$(curl -sS -o "$body" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H "Content-Type: ${3:-application/json}" --data "$2" "$GATEWAY_URL$1") || die "PUT $1: the gateway at $GATEWAY_URL did not answer"
  [[ "$code" == 2* ]] || die "PUT $1 answered $code: $(cat "$body")"
}

put /v1/security/roles/ANONYMOUS '{"defaultPathPermissions":["SELECT_TOPIC","READ_TOPIC"]}'
put /v1/security/roles/CLIENT '{"defaultPathPermissions":["SELECT_TOPIC","READ_TOPIC"],"pathPermissions":{"chat":["SELECT_TOPIC","READ_TOPIC","UPDATE_TOPIC","EDIT_OWN_TIME_SERIES_EVENTS"]}}'
# backend-app's tokens carry TOPIC_CONTROL (prices) and MODERATOR (the moderator's edits and revocations)
put /v1/security/roles/MODERATOR '{"pathPermissions":{"chat":["SELECT_TOPIC","READ_TOPIC","UPDATE_TOPIC","MODIFY_TOPIC","EDIT_TIME_SERIES_EVENTS"]},"globalPermissions":["VIEW_SECURITY","MODIFY_SECURITY"]}'
put /v1/views/usd 'map ?prices/[^/]+ to views/<path(1)>/usd as <value(/bpi/USD/rate_float)>' text/plain
for room in lobby random; do
  put "/v1/topics/chat/$room?add=true" '{"type":"TIME_SERIES","eventType":"JSON","properties":{"TIME_SERIES_SUBSCRIPTION_RANGE":"limit 50","TIME_SERIES_RETAINED_RANGE":"limit 10000"}}'
done
echo "seed-demo.sh: roles ANONYMOUS, CLIENT and MODERATOR, rooms chat/lobby and chat/random, the view usd (views/btc/usd) at $GATEWAY_URL"
