"""Production mode, the health check against real failures, the demo seed refused in production
(tests/organisation/test_seed_demo.py runs it)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from congress_portal.celery import app as celery_app

ROOT = Path(__file__).resolve().parent.parent
GOOD_KEY = "k" * 20 + "-production-secret-key-for-tests-" + "x" * 20
# Long enough, but not random: each is refused in production.
WEAK_KEYS = ["x" * 60, "abcdefghij" * 6, "a" * 64 + "b"]


UNSET = {"DEBUG", "SECRET_KEY", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE", "PORTAL_ENV"}


def run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    """Run a fresh interpreter with a clean environment plus ``env``."""
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, "DJANGO_SETTINGS_MODULE": "congress_portal.settings", **env},
    )


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    return run(["-c", code], **env)


SETUP = "import django; django.setup(); print('started')"


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python(SETUP, PORTAL_ENV="production")
    assert result.returncode != 0
    assert "Production mode needs SECRET_KEY" in result.stderr


@pytest.mark.parametrize("key", WEAK_KEYS)
def test_production_refuses_a_long_key_that_is_not_random(key):
    result = run_python(SETUP, PORTAL_ENV="production", SECRET_KEY=key)
    assert result.returncode != 0
    assert "Production mode needs SECRET_KEY: at least 50 random characters" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr  # how to make a good one


def test_production_starts_with_a_generated_key():
    key = secrets.token_urlsafe(50)
    result = run_python(SETUP, PORTAL_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="x")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_production_refuses_to_start_with_debug_on():
    result = run_python(SETUP, PORTAL_ENV="production", SECRET_KEY=GOOD_KEY, DEBUG="true")
    assert result.returncode != 0
    assert "refuses to start with DEBUG on" in result.stderr


def test_production_passes_check_deploy():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        PORTAL_ENV="production",
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="portal.example.org",
    )
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_healthz_answers_503_when_the_database_is_unreachable():
    code = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz'); print(r.status_code, json.dumps(r.json()))"
    )
    result = run_python(code, DATABASE_URL="postgres://nobody@127.0.0.1:1/nothing")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(
        '503 {"status": "error", "database": "error", "broker": "eager", "static": "ok"}'
    )


@pytest.mark.django_db
def test_healthz_answers_503_when_the_broker_is_unreachable(client):
    saved = {
        "task_always_eager": celery_app.conf.task_always_eager,
        "broker_url": celery_app.conf.broker_url,
    }
    celery_app.conf.update(task_always_eager=False, broker_url="redis://127.0.0.1:1/0")
    try:
        response = client.get(reverse("healthz"))
    finally:
        celery_app.conf.update(saved)
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "broker": "error",
        "static": "ok",
    }


def test_seed_demo_refuses_production():
    result = run(["manage.py", "seed_demo"], PORTAL_ENV="production", SECRET_KEY=GOOD_KEY)
    assert result.returncode != 0
    assert "refuses to run in production" in result.stderr


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy_without_inline_scripts(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" not in directives["style-src"]
    assert directives["frame-ancestors"] == "'none'"


@pytest.mark.django_db
def test_the_embedded_debug_run_keeps_400_fragments_in_their_place(client, settings):
    """In DEBUG, {% htmx_script %} would add django-htmx's debug helper, which replaces
    the whole page with any 400 answer: the inline review's message would wipe the
    page in the embedded demo. The portal loads htmx alone."""
    settings.DEBUG = True
    page = client.get("/accounts/login/").content.decode()
    assert "htmx-2.min.js" in page
    assert "django-htmx.js" not in page
