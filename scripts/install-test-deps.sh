#!/usr/bin/env bash
# Installs the real servers and the browser that the integration tests drive (Debian packages). Idempotent: skips
# what is present.
set -euo pipefail
need=()
# (integration tests add their packages here, e.g. prometheus)
# prometheus: /usr/bin/prometheus and /usr/bin/promtool for test/series/prometheus.integration.test.ts
need+=(prometheus)
# chromium: /usr/bin/chromium, the real browser test/report/browser.test.ts opens the report in (through playwright-core)
need+=(chromium)
# redis-server: /usr/bin/redis-server for test/sweep/queue.integration.test.ts (BullMQ queue of distributed sweeps)
need+=(redis-server)
missing=()
for pkg in "${need[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Debian starts the packaged Prometheus service on 0.0.0.0:9090 where systemd runs. The tests start their own
  # server on a free loopback port, so the packaged one is only stopped and disabled when this script installed it.
  if [[ " ${missing[*]} " == *" prometheus "* ]] && [ -d /run/systemd/system ]; then
    systemctl disable --now prometheus.service >/dev/null 2>&1 || true
  fi
  # The same for Redis, whose packaged service listens on 127.0.0.1:6379; the tests start their own on a free port.
  if [[ " ${missing[*]} " == *" redis-server "* ]]; then
    if [ -d /run/systemd/system ]; then
      systemctl disable --now redis-server.service >/dev/null 2>&1 || true
    else
      # Without systemd the package's postinst may still have started it through the init script.
      service redis-server stop >/dev/null 2>&1 || true
      update-rc.d redis-server disable >/dev/null 2>&1 || true
    fi
  fi
fi
