#!/usr/bin/env bash
# Debian packages the tests need (browser tests: chromium; statbank client: locales;
# make test-postgres: postgresql, started as a throw-away cluster by scripts/with-postgres.sh;
# make bench-api: wrk, the HTTP load generator of R-PERF-4).
# Installs only what is missing; needs root (as on CI and the developer machines).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
locale -a 2>/dev/null | grep -qi '^en_DK' || need+=(locales)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v wrk >/dev/null 2>&1 || need+=(wrk)
if [ ${#need[@]} -gt 0 ] && [ "$(id -u)" = 0 ]; then
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
if [ "$(id -u)" = 0 ] && ! locale -a 2>/dev/null | grep -qi '^en_DK'; then
  sed -i 's/^# *\(en_DK.UTF-8\)/\1/; s/^# *\(en_US.UTF-8\)/\1/' /etc/locale.gen
  locale-gen >/dev/null
fi
exit 0
