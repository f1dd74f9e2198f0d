#!/usr/bin/env bash
# The load test: the production stack on 127.0.0.1 (two gunicorn web processes behind the
# compose file's nginx configuration, two Celery workers on Redis, PostgreSQL seeded with
# the demo city), 60 s of mixed traffic from locust, then the figures and the count of
# the rows the writes made. Not part of CI. README.md, "Load test", has the last figures.
#   bash scripts/loadtest.sh            (LOADTEST_USERS, LOADTEST_SECONDS, ... in scripts/loadtest.py)
set -euo pipefail
cd "$(dirname "$0")/.."

[[ -x .venv/bin/python ]] || scripts/setup.sh run
if ! .venv/bin/python -c 'import locust' 2>/dev/null; then
    echo "Installing the load-test tools (the [load] extra)"
    .venv/bin/python -m pip install --quiet ".[load]"
fi
pg_isready -h 127.0.0.1 -q || { echo "PostgreSQL does not answer on 127.0.0.1:5432" >&2; exit 1; }
redis-cli -h 127.0.0.1 ping >/dev/null || { echo "Redis does not answer on 127.0.0.1:6379" >&2; exit 1; }
exec .venv/bin/python scripts/loadtest.py
