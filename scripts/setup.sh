#!/usr/bin/env bash
# Installs what Requeue needs on a Debian/Ubuntu machine, only what is missing:
# redis-server, chromium and python3-redis (the Python client's one dependency, for Debian's
# /usr/bin/python3: clients/python) from apt (as root, or with sudo), then the npm dependencies.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
if [ "${SKIP_CHROMIUM:-}" != "1" ] && [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then missing+=(chromium); fi
if [ "${SKIP_PYTHON:-}" != "1" ] && ! /usr/bin/python3 -c "import redis" >/dev/null 2>&1; then missing+=(python3-redis); fi

if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: please install ${missing[*]} (no apt-get here; e.g. brew install redis, and a Chromium)" >&2
    exit 1
  fi
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  echo "setup: installing ${missing[*]} with apt-get"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
python="none"
if /usr/bin/python3 -c "import redis" >/dev/null 2>&1; then
  python="$(/usr/bin/python3 -c 'import sys, redis; print("%d.%d" % sys.version_info[:2], "redis-py", redis.__version__)')"
fi
echo "setup: ready — redis-server $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/'), node $(node --version), python $python"
