#!/usr/bin/env bash
# The tools agentdesk's outputs are fed to in the tests, where apt does not have them: pandas
# and DuckDB in a virtual environment, for the README's audit-log recipes. They go under the
# build's tmp folder, where the tests look for them. Idempotent. (Jenkins xunit's JUnit schema
# is kept in the repository: tests/junit-10.xsd.)
set -euo pipefail

cd "$(dirname "$0")/.."
tmp="${CARGO_TARGET_DIR:-target}/tmp"
mkdir -p "$tmp"

if ! "$tmp/pyenv/bin/python" -c 'import pandas, duckdb' 2>/dev/null; then
    rm -rf "$tmp/pyenv"
    python3 -m venv "$tmp/pyenv"
    "$tmp/pyenv/bin/python" -m pip install --quiet --disable-pip-version-check pandas duckdb
fi
"$tmp/pyenv/bin/python" -c 'import pandas, duckdb; print("pandas", pandas.__version__, "duckdb", duckdb.__version__)'
