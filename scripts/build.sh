#!/usr/bin/env bash
# The image's build steps, run by the Dockerfile and by the tests alike:
#   scripts/build.sh deps     install the portal's Python dependencies
#   scripts/build.sh assets   compile the translations (.po -> .mo) and collect the static
#                             files under the production storage (hashed names + manifest)
#   scripts/build.sh          both
# PYTHON names the interpreter (default python3); STATIC_ROOT where the static files go
# (default var/static). No runtime secret is needed: collectstatic runs in production mode
# with a throw-away key made for that one command, so the settings' checks on SECRET_KEY
# and DEBUG stay exactly as strict as at run time, and the key is never stored.
set -euo pipefail
cd "$(dirname "$0")/.."
python="${PYTHON:-python3}"
step="${1:-all}"

if [[ "$step" == deps || "$step" == all ]]; then
    "$python" -m pip install --no-cache-dir --quiet .
fi

if [[ "$step" == assets || "$step" == all ]]; then
    for po in $(find locale */locale -name '*.po' -path '*zh_Hans*' 2>/dev/null); do
        msgfmt --check-format -o "${po%.po}.mo" "$po"
    done
    throwaway_key=$("$python" -c 'import secrets; print(secrets.token_urlsafe(50))')
    env -u DEBUG PORTAL_ENV=production SECRET_KEY="$throwaway_key" \
        "$python" manage.py collectstatic --no-input --clear -v0
    test -f "${STATIC_ROOT:-var/static}/staticfiles.json"
fi
