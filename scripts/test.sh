#!/usr/bin/env bash
# Install what the tests need and run the whole suite (the README's second Quick start command).
#  - a virtual environment in .venv with cyberline and its [test] extra;
#  - PostgreSQL 15 server binaries and Debian's chromium, from apt when missing and when we are
#    root (the tests start their own throwaway PostgreSQL cluster and headless chromium);
# Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e '.[test]'

need_apt=()
command -v initdb >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
  || need_apt+=(postgresql-15 postgresql-contrib)
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium fonts-noto-cjk)
fc-list 2>/dev/null | grep -qi "noto.*cjk" || need_apt+=(fonts-noto-cjk)
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing from apt: ${need_apt[*]}"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
  else
    echo "warning: missing ${need_apt[*]} (not root or no apt): those tests will be skipped" >&2
  fi
fi

# Two workers: the suite is I/O- and subprocess-heavy (PostgreSQL, chromium, kill tests).
exec .venv/bin/python -m pytest -q -p no:cacheprovider -n 2 "$@"
