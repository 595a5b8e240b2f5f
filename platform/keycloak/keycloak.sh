#!/usr/bin/env bash
# Starts or stops a local Keycloak for development and tests, on 127.0.0.1 only.
#
#   platform/keycloak/keycloak.sh start KEYCLOAK_HOME   # imports realm/ and dev/ (demo users, a second realm)
#   platform/keycloak/keycloak.sh stop  KEYCLOAK_HOME
#
# KEYCLOAK_HOME is an unpacked org.keycloak:keycloak-quarkus-dist (the server build unpacks it to
# platform/server/target/keycloak). Port: KEYCLOAK_PORT (default 8180). Master admin: admin/admin.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
action=${1:?start or stop}
home=$(cd "${2:?KEYCLOAK_HOME}" && pwd)
port=${KEYCLOAK_PORT:-8180}
url="http://127.0.0.1:${port}/realms/parasol/.well-known/openid-configuration"

case "$action" in
  start)
    if curl -sf -o /dev/null "$url"; then
      echo "keycloak: already running on port ${port}"
      exit 0
    fi
    # A fresh dev database on every start: the realm files are imported as they are now.
    rm -rf "$home/data/import" "$home/data/h2"
    mkdir -p "$home/data/import"
    cp "$here"/realm/*.json "$here"/dev/*.json "$home/data/import/"
    echo "keycloak: starting on 127.0.0.1:${port} (log: $home/keycloak.log)"
    KC_BOOTSTRAP_ADMIN_USERNAME=admin KC_BOOTSTRAP_ADMIN_PASSWORD=admin \
      nohup "$home/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$port" \
      --import-realm --health-enabled=false >"$home/keycloak.log" 2>&1 </dev/null &
    for _ in $(seq 1 240); do
      if curl -sf -o /dev/null "$url"; then
        echo "keycloak: ready"
        exit 0
      fi
      sleep 1
    done
    echo "keycloak: did not become ready; last log lines:" >&2
    tail -30 "$home/keycloak.log" >&2
    exit 1
    ;;
  stop)
    # kc.sh execs java; kill the JVM itself, found by the distribution path on its command line.
    pkill -f -- "-Dkc.home.dir=${home}" || pkill -f -- "${home}/lib/quarkus-run.jar" || true
    echo "keycloak: stopped"
    ;;
  *)
    echo "usage: $0 start|stop KEYCLOAK_HOME" >&2
    exit 2
    ;;
esac
