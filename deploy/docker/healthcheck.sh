#!/bin/bash
# Container health check of a Pushgate service: exits 0 when GET /q/health/ready answers 200.
# Uses curl where the image has it, else bash's /dev/tcp (the runtime image's launcher is a
# bash script, so bash is always there). The port is the one the service listens on.
port="${QUARKUS_HTTP_PORT:-8080}"
path=/q/health/ready

if command -v curl >/dev/null 2>&1; then
  exec curl -fsS -o /dev/null --max-time 3 "http://127.0.0.1:${port}${path}"
fi

exec 3<>"/dev/tcp/127.0.0.1/${port}" || exit 1
printf 'GET %s HTTP/1.0\r\nHost: localhost\r\n\r\n' "$path" >&3
IFS= read -r -t 3 status <&3 || exit 1
[[ "$status" == "HTTP/1."?" 200"* ]]
