#!/usr/bin/env bash
# Installs what the test suite needs on a fresh machine: the Python test extras, Debian's
# Chromium (for Playwright), Java (for the Nu HTML Checker) and the npm vnu-jar package.
# Safe to run again: each step is skipped when its tool is already there.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}

"$PYTHON" -m pip install -q -e '.[test]'

apt_packages=()
command -v chromium >/dev/null 2>&1 || apt_packages+=(chromium)
command -v java >/dev/null 2>&1 || apt_packages+=(default-jre-headless)
if [ ${#apt_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${apt_packages[@]}" >/dev/null
  else
    echo "missing: ${apt_packages[*]} (install them with apt-get as root)" >&2
  fi
fi

if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ] && command -v npm >/dev/null 2>&1; then
  npm install --no-audit --no-fund --no-package-lock --silent >/dev/null
fi
