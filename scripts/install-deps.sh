#!/usr/bin/env bash
# Installs what orgbatch needs to build and test, and only what is missing:
#   - libcurl's headers (Debian's libcurl4-openssl-dev), for the HTTP transport;
#   - moto's server (PyPI's moto[server]), the local AWS the tests and the demo run against.
# Safe to run again: each step checks first.
set -euo pipefail

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

if ! pkg-config --exists libcurl 2>/dev/null; then
  echo "install-deps: installing libcurl4-openssl-dev and pkg-config" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq libcurl4-openssl-dev pkg-config >/dev/null
fi

if ! command -v jq >/dev/null 2>&1 && [ "${NEED_JQ:-0}" = 1 ]; then
  echo "install-deps: installing jq (for the demo)" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq jq >/dev/null
fi

if [ "${NEED_BENCH_TOOLS:-0}" = 1 ] && { ! command -v wrk >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1 \
    || [ ! -x /usr/bin/time ] || ! command -v valgrind >/dev/null 2>&1 || ! command -v objcopy >/dev/null 2>&1; }; then
  echo "install-deps: installing wrk, curl, time, valgrind and binutils (for the benchmark)" >&2
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq wrk curl time valgrind binutils >/dev/null
fi

PYTHON=${PYTHON:-python3}
if [ "${NEED_BENCH_TOOLS:-0}" = 1 ] && ! command -v aws >/dev/null 2>&1; then
  echo "install-deps: installing awscli (for the benchmark)" >&2
  "$PYTHON" -m pip install --quiet awscli
fi
if ! "$PYTHON" -c 'import moto.server, flask, werkzeug, boto3' 2>/dev/null; then
  echo "install-deps: installing moto[server]" >&2
  "$PYTHON" -m pip install --quiet 'moto[server]'
fi
