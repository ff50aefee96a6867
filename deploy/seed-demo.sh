#!/usr/bin/env bash
# Sets up the demo at a running Pushgate: the one place where it is defined. ./run.sh calls it on
# this machine; run it yourself once after `docker compose up`, or against `kubectl port-forward`s
# or the Ingress (deploy/README.md). What it PUTs at the gateway, as the auth-service's admin:
#   - the roles ANONYMOUS (read; nothing under moderation/; may find the inboxes, not read them),
#     CLIENT (read; post and edit one's own messages in the chat and in the inboxes of pre-moderated
#     rooms without reading them; only read chat/held; nothing under moderation/) and MODERATOR
#     (backend-app's moderator: edits, every version of the rooms and the inboxes, revocations);
#   - the view usd of the BTC price (views/btc/usd), and the view currencies, one topic per currency (views/btc/currency/<code>);
#   - the chat rooms chat/lobby, chat/random and chat/held, and inbox/chat/held, which makes
#     chat/held pre-moderated (backend-app publishes each message there once judged).
# It only PUTs (the topics with ?add=true), so running it again changes nothing.
#   AUTH_ADMIN_PASSWORD=... deploy/seed-demo.sh
#   AUTH_ADMIN_PASSWORD=... GATEWAY_URL=https://pushgate.example.com AUTH_URL=https://pushgate.example.com deploy/seed-demo.sh
# It prints one line saying what it set up; with --summary-only, only what (run.sh labels it itself).
# Any refusal ends it with a message on stderr naming the request and the answer, and exit status 1.
set -euo pipefail

summary_only=false
case "${1:-}" in
  "") ;;
  --summary-only) summary_only=true ;;
  *) echo "usage: [AUTH_ADMIN_PASSWORD=... GATEWAY_URL=... AUTH_URL=...] $0 [--summary-only]" >&2; exit 2 ;;
esac

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

# Ordinary users: nothing under moderation/ (the log; a principal's own status is granted by the moderator's
# revocation); post to the inboxes of pre-moderated rooms without reading them; only read chat/held (pre-moderated).
put /v1/security/roles/ANONYMOUS '{"defaultPathPermissions":["SELECT_TOPIC","READ_TOPIC"],"pathPermissions":{"inbox":["SELECT_TOPIC"],"moderation":[]}}'
put /v1/security/roles/CLIENT '{"defaultPathPermissions":["SELECT_TOPIC","READ_TOPIC"],"pathPermissions":{"chat":["SELECT_TOPIC","READ_TOPIC","UPDATE_TOPIC","EDIT_OWN_TIME_SERIES_EVENTS"],"chat/held":["SELECT_TOPIC","READ_TOPIC"],"inbox":["SELECT_TOPIC","UPDATE_TOPIC","EDIT_OWN_TIME_SERIES_EVENTS"],"moderation":[]}}'
# backend-app's role: prices (TOPIC_CONTROL) and the moderator's edits (reading every version), relays and revocations
put /v1/security/roles/MODERATOR '{"pathPermissions":{"chat":["SELECT_TOPIC","READ_TOPIC","UPDATE_TOPIC","MODIFY_TOPIC","EDIT_TIME_SERIES_EVENTS","QUERY_OBSOLETE_TIME_SERIES_EVENTS"],"inbox":["SELECT_TOPIC","READ_TOPIC","QUERY_OBSOLETE_TIME_SERIES_EVENTS"]},"globalPermissions":["VIEW_SECURITY","MODIFY_SECURITY","VIEW_SESSION","MODIFY_SESSION"]}'
put /v1/views/usd 'map ?prices/[^/]+ to views/<path(1)>/usd as <value(/bpi/USD/rate_float)>' text/plain
# one topic per currency (views/btc/currency/USD, ...): Diffusion's expand, with process dropping what a price display does not need
put /v1/views/currencies 'map ?prices/[^/]+ to views/<path(1)>/currency/<expand(/bpi)> process {remove(/symbol); remove(/description); remove(/rate)}' text/plain
# PRESENCE: the gateway keeps $presence/chat/<room>, who is in the room, which the chat shows (docs/protocol.md)
room_spec='{"type":"TIME_SERIES","eventType":"JSON","properties":{"PRESENCE":"true","TIME_SERIES_SUBSCRIPTION_RANGE":"limit 50","TIME_SERIES_RETAINED_RANGE":"limit 10000"}}'
for room in lobby random held; do
  code=$(curl -sS -o "$body" -w '%{http_code}' -X PUT -H "Authorization: Bearer $ADMIN_TOKEN" \
    -H "Content-Type: application/json" --data "$room_spec" "$GATEWAY_URL/v1/topics/chat/$room?add=true") \
    || die "PUT /v1/topics/chat/$room?add=true: the gateway at $GATEWAY_URL did not answer"
  if [ "$code" = 409 ]; then
    # made by an older seed, without PRESENCE: it stays as it is (its messages with it); the chat shows no presence there
    echo "seed-demo.sh: chat/$room exists with another spec (made before rooms had PRESENCE), left as it is: $(cat "$body")" >&2
  elif [[ "$code" != 2* ]]; then
    die "PUT /v1/topics/chat/$room?add=true answered $code: $(cat "$body")"
  fi
done
# its inbox makes chat/held pre-moderated: backend-app publishes each message there once judged
put "/v1/topics/inbox/chat/held?add=true" '{"type":"TIME_SERIES","eventType":"JSON","properties":{"TIME_SERIES_RETAINED_RANGE":"limit 10000"}}'

summary="roles ANONYMOUS, CLIENT and MODERATOR, rooms chat/lobby, chat/random and chat/held (pre-moderated), the views usd (views/btc/usd) and currencies (views/btc/currency/<code>)"
if $summary_only; then
  echo "$summary"
else
  echo "seed-demo.sh: $summary at $GATEWAY_URL"
fi
