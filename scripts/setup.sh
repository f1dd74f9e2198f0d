#!/usr/bin/env bash
# Create the virtual environment, install the portal (and, with "test", its test tools),
# compile the translations. A second run with nothing changed takes about a second.
set -euo pipefail
cd "$(dirname "$0")/.."

mode="${1:-run}"
python="${PYTHON:-python3}"
venv=.venv
mkdir -p var

if [[ ! -x "$venv/bin/python" ]]; then
    echo "Creating the virtual environment in $venv"
    "$python" -m venv "$venv"
fi

extras=""
[[ "$mode" == "test" ]] && extras="[test]"
stamp="var/.installed-$mode"
digest=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$digest" ]]; then
    echo "Installing Python packages$extras"
    "$venv/bin/python" -m pip install --quiet --upgrade pip
    "$venv/bin/python" -m pip install --quiet ".$extras"
    echo "$digest" > "$stamp"
fi

if [[ "$mode" == "test" && ( ! -d node_modules/axe-core || package-lock.json -nt node_modules/.package-lock.json ) ]]; then
    echo "Installing test tools from npm"
    npm ci --no-audit --no-fund --loglevel=error
fi

# Compile the .po files (only the ones that changed).
for po in $(find locale */locale -name '*.po' 2>/dev/null); do
    mo="${po%.po}.mo"
    if [[ ! -f "$mo" || "$po" -nt "$mo" ]]; then
        msgfmt --check-format -o "$mo" "$po"
    fi
done
