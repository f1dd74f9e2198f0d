#!/usr/bin/env bash
# Refresh the zh_Hans catalogues: one per app (app/locale) for the app's code and
# templates, and the project's (locale/) for templates/ and congress_portal/.
#   scripts/makemessages.sh            every catalogue
#   scripts/makemessages.sh tasks      only the tasks app's
set -euo pipefail
cd "$(dirname "$0")/.."
manage="$PWD/manage.py"
py="$PWD/.venv/bin/python"
all_apps=$(for d in */locale; do dirname "$d"; done)
if [[ $# -gt 0 ]]; then
    for app in "$@"; do
        (cd "$app" && DJANGO_SETTINGS_MODULE=congress_portal.settings_messages \
            "$PWD/../.venv/bin/python" "$manage" makemessages -l zh_Hans --no-obsolete --ignore=migrations)
    done
    exit 0
fi
apps=$all_apps
ignores=(--ignore=.venv --ignore=node_modules --ignore=var --ignore=tests)
for app in $apps; do ignores+=(--ignore="$app/*"); done
"$py" "$manage" makemessages -l zh_Hans --no-obsolete "${ignores[@]}"
for app in $apps; do
    (cd "$app" && DJANGO_SETTINGS_MODULE=congress_portal.settings_messages \
        "$py" "$manage" makemessages -l zh_Hans --no-obsolete --ignore=migrations)
done
