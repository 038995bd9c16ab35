#!/usr/bin/env bash
# Debian's Chromium for the Playwright tests, installed only when missing (no Playwright browser
# download: the tests launch /usr/bin/chromium). Needs root, as on CI and the dev machines.
set -euo pipefail
[ -x /usr/bin/chromium ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "Chromium is missing: run 'apt-get install -y chromium' as root." >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium >/dev/null
