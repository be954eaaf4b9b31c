#!/usr/bin/env bash
# The Learning Record Store the LRS tests send statements to (tests/lrs.rs): Ralph, Open FUN's
# xAPI LRS, pinned, in a virtual environment under the build's tmp folder, where the tests look
# for it (or set AGENTDESK_RALPH to another `ralph` executable). `requests` is installed beside
# it: Ralph's extras do not pull it in and `ralph auth`/`runserver` need it. Idempotent.
# Each test starts its own server on 127.0.0.1 (a free port, its own data directory, the
# file-system backend, an account made with `ralph auth`) and stops it when done.
set -euo pipefail

cd "$(dirname "$0")/.."
tmp="${CARGO_TARGET_DIR:-target}/tmp"
mkdir -p "$tmp"
ralph_version="5.1.0"
requests_version="2.32.3"

if ! "$tmp/ralph/bin/python" -c "import ralph, requests, sys; sys.exit(ralph.__version__ != '$ralph_version')" 2>/dev/null; then
    rm -rf "$tmp/ralph"
    python3 -m venv "$tmp/ralph"
    "$tmp/ralph/bin/python" -m pip install --quiet --disable-pip-version-check \
        "ralph-malph[cli,lrs]==$ralph_version" "requests==$requests_version"
fi
"$tmp/ralph/bin/ralph" --version
