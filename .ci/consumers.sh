#!/usr/bin/env bash
# The tools agentdesk's outputs are fed to in the tests, where apt does not have them:
#   - Jenkins xunit's JUnit schema, junit-10.xsd, taken from pytest's source distribution on
#     PyPI (pytest validates its own reports against the same file);
#   - pandas and DuckDB in a virtual environment, for the README's audit-log recipes.
# Both go under the build's tmp folder, where the tests look for them. Idempotent.
set -euo pipefail

cd "$(dirname "$0")/.."
tmp="${CARGO_TARGET_DIR:-target}/tmp"
mkdir -p "$tmp"

PYTEST_SDIST_VERSION=8.3.5
if [ ! -s "$tmp/junit-10.xsd" ]; then
    work=$(mktemp -d)
    python3 -m pip download --quiet --no-deps --no-binary :all: \
        "pytest==$PYTEST_SDIST_VERSION" -d "$work"
    tar -xzf "$work/pytest-$PYTEST_SDIST_VERSION.tar.gz" -C "$work" \
        "pytest-$PYTEST_SDIST_VERSION/testing/example_scripts/junit-10.xsd"
    cp "$work/pytest-$PYTEST_SDIST_VERSION/testing/example_scripts/junit-10.xsd" "$tmp/junit-10.xsd"
    rm -rf "$work"
fi
echo "junit-10.xsd: $tmp/junit-10.xsd"

if ! "$tmp/pyenv/bin/python" -c 'import pandas, duckdb' 2>/dev/null; then
    rm -rf "$tmp/pyenv"
    python3 -m venv "$tmp/pyenv"
    "$tmp/pyenv/bin/python" -m pip install --quiet --disable-pip-version-check pandas duckdb
fi
"$tmp/pyenv/bin/python" -c 'import pandas, duckdb; print("pandas", pandas.__version__, "duckdb", duckdb.__version__)'
