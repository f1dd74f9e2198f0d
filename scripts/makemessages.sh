#!/usr/bin/env bash
# Refresh the zh_Hans and en catalogues: one per app (app/locale) for the app's code and
# templates, and the project's (locale/) for templates/ and congress_portal/.
set -euo pipefail
cd "$(dirname "$0")/.."
manage="$PWD/manage.py"
py="$PWD/.venv/bin/python"
apps=$(for d in */locale; do dirname "$d"; done)
ignores=(--ignore=.venv --ignore=node_modules --ignore=var --ignore=tests)
for app in $apps; do ignores+=(--ignore="$app/*"); done
"$py" "$manage" makemessages -l zh_Hans --no-obsolete "${ignores[@]}"
for app in $apps; do
    (cd "$app" && DJANGO_SETTINGS_MODULE=congress_portal.settings_messages \
        "$py" "$manage" makemessages -l zh_Hans --no-obsolete --ignore=migrations)
done
