"""What the compose stack serves, proven without Docker (tests/deploy/stack.py): the image's
build, gunicorn in production mode behind nginx on the compose file's proxy configuration,
over HTTPS with a throw-away certificate."""

from __future__ import annotations

import http.client
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from tests.deploy.stack import HOST, ROOT, Stack, build, clean_environment
from tests.liaison_stations.factories import station_with_deputies

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def stack(django_db_setup) -> Iterator[Stack]:
    """Built and started once for the module; gunicorn uses the test database."""
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("the production path needs PostgreSQL (run it through scripts/test.sh)")
    # Not pytest's tmp_path: its base folder is private, and nginx's workers read from here.
    workdir = Path(tempfile.mkdtemp(prefix="portal-production-"))
    workdir.chmod(0o755)
    stack = Stack(
        workdir=workdir,
        app=workdir / "app",
        database_url=(
            f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:"
            f"{db['PORT'] or 5432}/{db['NAME']}"
        ),
    )
    try:
        stack.build_seconds = build(stack.app)
        print(f"scripts/build.sh: {stack.build_seconds:.1f} s")
        stack.start()
        yield stack
    finally:
        stack.stop()
        shutil.rmtree(workdir, ignore_errors=True)


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: str


class Browser:
    """Just enough of one: cookies, the CSRF token, HTTPS checked against our certificate."""

    def __init__(self, stack: Stack) -> None:
        self.stack = stack
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, **headers) -> Response:
        connection = http.client.HTTPSConnection(
            "127.0.0.1", self.stack.https_port, context=self.stack.tls(), timeout=30
        )
        sent = {"Host": HOST, **headers}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return Response(response.status, response.headers, text)

    def get(self, path: str, **headers) -> Response:
        return self.request("GET", path, **headers)

    def post_form(self, path: str, data: dict[str, str], **headers) -> Response:
        token = self.cookies["csrftoken"]
        body = urlencode({"csrfmiddlewaretoken": token, **data}).encode()
        return self.request(
            "POST",
            path,
            body=body,
            **{
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}{path}",
                **headers,
            },
        )


def plain(port: int, path: str, source: str = "127.0.0.1", **headers) -> Response:
    connection = http.client.HTTPConnection(
        "127.0.0.1", port, timeout=30, source_address=(source, 0)
    )
    try:
        connection.request("GET", path, headers={"Host": HOST, **headers})
        response = connection.getresponse()
        return Response(response.status, response.headers, response.read().decode())
    finally:
        connection.close()


STYLESHEET = re.compile(r'<link rel="stylesheet" href="(/static/css/portal\.[0-9a-f]{12}\.css)">')


def test_the_login_page_answers_with_its_stylesheet_and_healthz_is_green(stack, transactional_db):
    """The manifest defect: a build that collected static files outside the production storage
    answers 500 here on every page."""
    browser = Browser(stack)
    login = browser.get("/accounts/login/")
    assert login.status == 200, stack.diagnostics()
    assert "登录" in login.body
    [stylesheet] = STYLESHEET.findall(login.body)
    css = browser.get(stylesheet, **{"Accept-Encoding": "gzip"})
    assert css.status == 200 and css.headers["Content-Type"] == "text/css"
    assert css.headers["Content-Encoding"] == "gzip"  # the build's .gz, sent by nginx
    assert "immutable" in css.headers["Cache-Control"]
    healthz = browser.get("/healthz")
    assert healthz.status == 200
    assert '"static": "ok"' in healthz.body and '"database": "ok"' in healthz.body
    # The web container's own health check passes against this gunicorn.
    check = subprocess.run(
        [
            sys.executable,
            str(ROOT / "deploy" / "healthcheck.py"),
            f"http://127.0.0.1:{stack.gunicorn_port}",
        ],
        env=clean_environment(ALLOWED_HOSTS=HOST),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert check.returncode == 0, check.stderr
    # Uploaded files are never served by the proxy itself.
    assert browser.get("/media/deputies/photos/x.jpg").status == 404


def test_a_public_station_page_and_the_public_body_limit(stack, transactional_db, world):
    station = station_with_deputies(world.township, 2, code="hmy-01", name="黄茅园镇人大代表联络站")
    browser = Browser(stack)
    page = browser.get(f"/s/{station.code}/")
    assert page.status == 200, stack.diagnostics()
    assert "黄茅园镇人大代表联络站" in page.body

    # The longest opinion the form accepts passes the proxy...
    longest = {"content": "路" * 2000, "category": "roads", "consent": "on", "village": "村" * 40}
    sent = browser.post_form(f"/s/{station.code}/", longest)
    assert sent.status == 302 and sent.headers["Location"].endswith("/thanks/")
    # ...and a body beyond the public limit never reaches gunicorn.
    refused = browser.post_form(f"/s/{station.code}/", {"content": "x" * 64 * 1024})
    assert refused.status == 413 and "提交的内容过大" in refused.body, refused.body


def test_a_signed_in_page_and_the_other_body_limits(stack, transactional_db, world):
    # The tests hash passwords with MD5 for speed; production knows only the real hashers.
    world.staff.password = PBKDF2PasswordHasher().encode("portal-demo", "saltforthetest")
    world.staff.save(update_fields=["password"])
    browser = Browser(stack)
    assert browser.get("/accounts/login/").status == 200
    signed_in = browser.post_form(
        "/accounts/login/", {"username": "staff", "password": "portal-demo"}
    )
    assert signed_in.status == 302, stack.diagnostics()
    session = [h for h in signed_in.headers.get_all("Set-Cookie") if h.startswith("sessionid=")]
    assert session and "Secure" in session[0] and "HttpOnly" in session[0]
    home = browser.get("/")
    assert home.status == 200 and "向晓琳" in home.body

    # An ordinary form: 1 MB at most. An evidence upload: the app's own limit.
    too_big = browser.post_form("/tasks/supervision/visits/new/", {"notes": "x" * 1_100_000})
    assert too_big.status == 413 and "提交的内容过大" in too_big.body
    upload = browser.post_form("/tasks/1/report/", {"text": "x" * 5_000_000})
    assert upload.status != 413 and upload.status < 500, upload.status  # Django answers


def test_a_forged_forwarded_proto_is_believed_from_the_proxy_only(stack, transactional_db):
    forged = {"X-Forwarded-Proto": "https"}
    # Straight to gunicorn from an address that is not the proxy: plain HTTP, redirected.
    direct = plain(stack.gunicorn_port, "/accounts/login/", source="127.0.0.2", **forged)
    assert direct.status == 301
    assert direct.headers["Location"] == f"https://{HOST}/accounts/login/"
    # The same request from the proxy's address is believed (as the health check relies on).
    assert plain(stack.gunicorn_port, "/accounts/login/", **forged).status == 200
    # nginx's plain-HTTP port only redirects, whatever the client claims.
    redirect = plain(stack.http_port, "/accounts/login/", **forged)
    assert redirect.status == 301
    assert redirect.headers["Location"] == f"https://{HOST}/accounts/login/"
    # And a client's "http" through the TLS port is overwritten by the proxy.
    assert Browser(stack).get("/accounts/login/", **{"X-Forwarded-Proto": "http"}).status == 200


def test_access_and_application_logs_go_to_dated_files(stack, transactional_db):
    Browser(stack).get("/healthz")
    day = time.strftime("%Y-%m-%d")
    access = stack.logs / f"access-{day}.log"
    assert access.exists(), sorted(p.name for p in stack.logs.iterdir())
    assert '"GET /healthz HTTP/1.1" 200' in access.read_text()
    # The application's log of the same day (gunicorn's workers log through Django's LOGGING).
    assert Browser(stack).get("/no-such-page/").status == 404
    assert "Not Found: /no-such-page/" in (stack.logs / f"web-{day}.log").read_text()
