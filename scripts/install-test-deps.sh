#!/usr/bin/env bash
# Installs the real servers that the integration tests drive (Debian packages). Idempotent: skips what is present.
set -euo pipefail
need=()
# (integration tests add their packages here, e.g. prometheus)
missing=()
for pkg in "${need[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
