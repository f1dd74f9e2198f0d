#!/usr/bin/env bash
# Refresh the zh_Hans catalogues: one per app (app/locale) for the app's code and
# templates, and the project's (locale/) for templates/ and congress_portal/.
#   scripts/makemessages.sh            every catalogue
#   scripts/makemessages.sh tasks      only the tasks app's
#
# Each app is processed from inside its folder, after Django is set up from the project
# root: an interpreter started inside an app folder would have that folder first on
# sys.path, where the app's own modules shadow others of the same name (`selectors.py`
# shadows Python's `selectors`) and the project's apps cannot be imported.
set -euo pipefail
cd "$(dirname "$0")/.."

all_apps=$(for d in */locale; do dirname "$d"; done)
apps=("$@")
if [[ ${#apps[@]} -eq 0 ]]; then
    ignores=(--ignore=.venv --ignore=node_modules --ignore=var --ignore=tests)
    for app in $all_apps; do ignores+=(--ignore="$app/*"); done
    .venv/bin/python manage.py makemessages -l zh_Hans --no-obsolete "${ignores[@]}"
    read -r -a apps <<< "$(echo $all_apps)"
fi

DJANGO_SETTINGS_MODULE=congress_portal.settings_messages .venv/bin/python - "${apps[@]}" <<'PY'
import os
import sys

import django
from django.core.management import call_command

django.setup()
root = os.getcwd()
for app in sys.argv[1:]:
    os.chdir(os.path.join(root, app))
    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, ignore_patterns=["migrations"])
PY
