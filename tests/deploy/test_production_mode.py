"""Production mode as gunicorn runs it, each in a fresh interpreter: the health check stays
on plain HTTP and fails when the static files were not collected; X-Forwarded-Proto from a
client is not believed by Django; sessions end after the configured idle time."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

ROOT = Path(__file__).resolve().parents[2]
KEY = "p" * 30 + "-a-production-secret-for-the-tests-" + "q" * 10


def production(code: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """Run ``code`` after django.setup() in production mode on an empty SQLite database."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "REDIS_URL", "PORTAL_ENV", "STATIC_ROOT"}
    }
    return subprocess.run(
        [sys.executable, "-c", "import django, json; django.setup()\n" + code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "congress_portal.settings",
            "PORTAL_ENV": "production",
            "SECRET_KEY": KEY,
            "ALLOWED_HOSTS": "testserver",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
            **env,
        },
    )


GET = """
from django.test import Client
for path, headers in {requests}:
    r = Client().get(path, **headers)
    print(json.dumps([path, r.status_code, r.headers.get("Location"),
                      r.json() if r.headers.get("Content-Type") == "application/json" else None]))
"""


def get(tmp_path: Path, requests: list, **env: str) -> list:
    result = production(GET.format(requests=repr(requests)), tmp_path, **env)
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_healthz_is_answered_over_plain_http_and_fails_without_collected_static(tmp_path):
    """The container's check asks http://127.0.0.1:8000/healthz: it must not be redirected,
    and a build without the manifest (every page a 500) must not look healthy."""
    empty = tmp_path / "static"
    empty.mkdir()
    [healthz, login] = get(
        tmp_path, [("/healthz", {}), ("/accounts/login/", {})], STATIC_ROOT=str(empty)
    )
    assert healthz[1] == 503, healthz
    assert healthz[3]["static"] == "error" and healthz[3]["database"] == "ok"
    # Everything else is still sent to https.
    assert login[1] == 301 and login[2] == "https://testserver/accounts/login/"


def test_a_client_cannot_make_django_believe_it_came_over_https(tmp_path):
    """Only gunicorn, for the proxy's address, may set the scheme; a header alone is not
    enough (no SECURE_PROXY_SSL_HEADER)."""
    [forged] = get(tmp_path, [("/accounts/login/", {"HTTP_X_FORWARDED_PROTO": "https"})])
    assert forged[1] == 301 and forged[2].startswith("https://")


def test_production_still_refuses_a_missing_secret_after_the_build_changes(tmp_path):
    result = production("print('started')", tmp_path, SECRET_KEY="")
    assert result.returncode != 0 and "Production mode needs SECRET_KEY" in result.stderr
    result = production("print('started')", tmp_path, DEBUG="true")
    assert result.returncode != 0 and "refuses to start with DEBUG on" in result.stderr


def test_idle_time_comes_from_the_environment(tmp_path):
    result = production(
        "from django.conf import settings;"
        "print(settings.SESSION_COOKIE_AGE, settings.SESSION_REFRESH_AFTER)",
        tmp_path,
        SESSION_COOKIE_AGE="900",
        SESSION_REFRESH_AFTER="30",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["900", "30"]


def session_writes(client, path: str) -> tuple[int, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        status = client.get(path).status_code
    return status, [q["sql"] for q in queries if 'UPDATE "django_session"' in q["sql"]]


@pytest.mark.django_db
def test_a_session_ends_after_the_idle_time_and_each_request_restarts_it(world, as_user, settings):
    settings.SESSION_COOKIE_AGE = 600
    home = reverse("home")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        client = as_user(world.staff)
        assert client.get(home).status_code == 200
        assert Session.objects.get().expire_date == start + dt.timedelta(seconds=600)

        # Working on within the minute: the pages do not write the session again.
        clock.shift(30)
        assert session_writes(client, home) == (200, [])

        # Nine idle minutes: still signed in, and the request gives ten minutes again.
        clock.shift(9 * 60)
        status, writes = session_writes(client, home)
        assert status == 200 and len(writes) == 1
        assert Session.objects.get().expire_date == timezone.now() + dt.timedelta(seconds=600)

        # Ten idle minutes: the next request goes to the login page.
        clock.shift(600)
        response = client.get(home)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
