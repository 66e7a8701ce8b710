#!/usr/bin/env bash
# Installs everything the tests need (Debian's Chromium for the browser tests, the dev requirements in a
# virtual environment, .venv, so the system Python is left alone), then runs the whole suite: lint, format
# check, type check, unit, page and browser tests. The README's second quick-start command; CI runs it unchanged.
set -euo pipefail
cd "$(dirname "$0")/.."

# Chromium for the browser tests and the report's charts and PDF; poppler-utils to read the PDF back.
if ! command -v chromium >/dev/null 2>&1 || ! command -v pdftotext >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium poppler-utils >/dev/null
fi
[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check -r requirements-dev.txt
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
.venv/bin/python -m mypy
.venv/bin/python -m pytest -n 2 "$@"
