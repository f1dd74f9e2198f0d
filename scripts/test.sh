#!/usr/bin/env bash
# Set up and run the whole test suite:
#   1. everything but the worker tests, on PostgreSQL (real Chromium included);
#   2. the tests that need a real Celery worker on Redis, on PostgreSQL;
#   3. the fast tests again on SQLite, so the embedded default stays honest (not the
#      city-scale query budgets, marked "city": they run once, on PostgreSQL).
# PostgreSQL and Redis are used at their standard local addresses when they answer;
# with REQUIRE_SERVICES=1 (as .ci/run sets) their absence is an error, not a skip.
# Extra arguments go to every pytest run (e.g. scripts/test.sh -k healthz). The slowest tests
# of each run are listed at its end (--durations), so CI's log says where its time goes.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/system-deps.sh test
scripts/setup.sh test
export PATH="$PWD/.venv/bin:$PATH"
export PORTAL_ENV=development
unset REDIS_URL

pg_host=${PGHOST_FOR_TESTS:-127.0.0.1}
redis_url=${TEST_REDIS_URL:-redis://127.0.0.1:6379/15}

have_postgres=false
if python - "$pg_host" <<'PY'
import sys, psycopg
try:
    psycopg.connect(host=sys.argv[1], user="postgres", dbname="postgres", connect_timeout=3).close()
except Exception:
    sys.exit(1)
PY
then
    have_postgres=true
    # The test role may create the test database; idempotent.
    python - "$pg_host" <<'PY'
import sys, psycopg
with psycopg.connect(host=sys.argv[1], user="postgres", dbname="postgres", autocommit=True) as conn:
    if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = 'portal'").fetchone():
        conn.execute("CREATE ROLE portal LOGIN CREATEDB PASSWORD 'portal'")
    if not conn.execute("SELECT 1 FROM pg_database WHERE datname = 'portal'").fetchone():
        conn.execute("CREATE DATABASE portal OWNER portal")
PY
fi

have_redis=false
if python - "$redis_url" <<'PY'
import sys, redis
try:
    redis.Redis.from_url(sys.argv[1], socket_connect_timeout=3).ping()
except Exception:
    sys.exit(1)
PY
then
    have_redis=true
fi

if [[ "${REQUIRE_SERVICES:-0}" == "1" ]]; then
    $have_postgres || { echo "PostgreSQL does not answer at $pg_host:5432" >&2; exit 1; }
    $have_redis || { echo "Redis does not answer at $redis_url" >&2; exit 1; }
fi

status=0
if $have_postgres; then
    export DATABASE_URL="postgres://portal:portal@$pg_host:5432/portal"
    echo "== 1/3 the suite on PostgreSQL, with Chromium"
    pytest -m "not worker" --create-db --durations=25 "$@" || status=$?
    if $have_redis; then
        echo "== 2/3 real Celery worker on Redis"
        REDIS_URL="$redis_url" pytest -m worker --create-db "$@" || status=$?
    else
        echo "== 2/3 skipped: Redis does not answer at $redis_url (CI requires it)"
    fi
else
    echo "== PostgreSQL does not answer at $pg_host:5432: running on SQLite only (CI requires it)"
fi

echo "== 3/3 the fast tests on SQLite (the embedded default)"
DATABASE_URL="sqlite:///$PWD/var/test.sqlite3" pytest -m "not worker and not browser and not postgres and not city" --durations=15 "$@" || status=$?
exit $status
