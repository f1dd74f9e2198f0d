#!/usr/bin/env bash
# The embedded demo: SQLite under var/, Celery tasks in-process, demo data, runserver.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/system-deps.sh run || echo "Continuing without the missing packages (PDFs may lack fonts)."
scripts/setup.sh run

unset DATABASE_URL REDIS_URL  # the embedded default, whatever the shell has
export PORTAL_ENV=development
.venv/bin/python manage.py migrate --no-input -v0
.venv/bin/python manage.py seed_demo
echo "Serving on http://127.0.0.1:${PORT:-8000}/ (demo accounts above, password portal-demo)"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
