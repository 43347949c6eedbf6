#!/usr/bin/env bash
# A local Prometheus holding Headroom's example history, to try `headroom forecast --prometheus` against.
#
#   bash scripts/prometheus-demo.sh                 # serve on http://127.0.0.1:9091 until Ctrl-C
#   PORT=9200 bash scripts/prometheus-demo.sh       # another port
#   bash scripts/prometheus-demo.sh -- CMD ARGS...  # start, run CMD (with $PROM_URL set), stop
#
# It converts scenarios/data/web-requests-hourly.csv into the gauge web_requests_per_second{job="web"} (and a second
# series, job="api", at 30% of it, so that a bare query returns two series), backfills it with
# `promtool tsdb create-blocks-from openmetrics` into a temporary data directory and starts `prometheus` on 127.0.0.1
# with a config that scrapes nothing. Everything is removed when it stops. Needs the Debian package `prometheus`
# (bash scripts/install-test-deps.sh) and node.
set -euo pipefail
cd "$(dirname "$0")/.."

PORT="${PORT:-9091}"
CSV="${CSV:-scenarios/data/web-requests-hourly.csv}"
prometheus_bin="$(command -v prometheus || true)"
promtool_bin="$(command -v promtool || true)"
if [ -z "$prometheus_bin" ] || [ -z "$promtool_bin" ]; then
  echo "prometheus-demo: prometheus and promtool not found; install the Debian package: bash scripts/install-test-deps.sh" >&2
  exit 2
fi

dir="$(mktemp -d "${TMPDIR:-/tmp}/headroom-prometheus-demo.XXXXXX")"
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# CSV (timestamp,value) -> OpenMetrics with timestamps in seconds, ending with "# EOF" as the format requires.
node --input-type=module - "$CSV" "$dir/history.om" <<'EOF'
import { readFileSync, writeFileSync } from 'node:fs';
const [csv, out] = process.argv.slice(2);
const rows = readFileSync(csv, 'utf8').trim().split('\n').slice(1);
const lines = ['# HELP web_requests_per_second Example request rate (Headroom demo).', '# TYPE web_requests_per_second gauge'];
const api = [];
for (const row of rows) {
  const [ts, value] = row.split(',');
  const t = Date.parse(ts) / 1000;
  if (!Number.isFinite(t) || value === undefined || value.trim() === '') continue;
  lines.push(`web_requests_per_second{job="web"} ${Number(value)} ${t}`);
  api.push(`web_requests_per_second{job="api"} ${Math.round(Number(value) * 300) / 1000} ${t}`);
}
writeFileSync(out, [...lines, ...api, '# EOF', ''].join('\n'));
console.error(`prometheus-demo: ${rows.length} rows of ${csv} -> ${lines.length - 2 + api.length} samples`);
EOF

start=$(date +%s%N)
# --max-block-duration (a hidden promtool flag) writes a few large blocks instead of one per 2 hours.
"$promtool_bin" tsdb create-blocks-from openmetrics --quiet --max-block-duration=2000h "$dir/history.om" "$dir/data"
echo "prometheus-demo: backfilled in $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2

printf '# Headroom demo: no scrape targets.\nglobal:\n  scrape_interval: 1h\n' >"$dir/prometheus.yml"
# Retention counts back from the newest block, not from today; 100y keeps old example data from being deleted.
"$prometheus_bin" --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/data" \
  --storage.tsdb.retention.time=100y --web.listen-address="127.0.0.1:$PORT" --log.level=error &
pid=$!

url="http://127.0.0.1:$PORT"
for _ in $(seq 1 200); do
  if ! kill -0 "$pid" 2>/dev/null; then echo "prometheus-demo: prometheus exited (is port $PORT taken? try PORT=...)" >&2; exit 1; fi
  if node -e "fetch('$url/-/ready').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then break; fi
  sleep 0.1
done
echo "prometheus-demo: ready at $url" >&2

if [ "${1:-}" = "--" ]; then
  shift
  PROM_URL="$url" "$@"
  exit $?
fi

cat >&2 <<EOT
prometheus-demo: try, in another terminal:
  npx tsx src/cli/main.ts forecast --prometheus $url --query 'web_requests_per_second{job="web"}' \\
    --start 2025-09-01 --end 2025-11-09T23:00:00Z --step 1h --horizon 168 --save /tmp/web-history.csv
prometheus-demo: Ctrl-C stops the server and deletes its data.
EOT
wait "$pid"
