"""The web container's health check: what a user gets, asked the way the proxy asks.

    python deploy/healthcheck.py [BASE_URL]      (default http://127.0.0.1:8000)

Fetches the login page with the proxy's headers (the first of ALLOWED_HOSTS as Host,
X-Forwarded-Proto: https, which gunicorn believes from 127.0.0.1 only), then the stylesheet
the page links and /healthz. Exits 1 with the reason when any of them is not 200: a build
without the static manifest fails here, although the database and the broker are up.
"""

from __future__ import annotations

import http.client
import os
import re
import sys
from urllib.parse import urljoin, urlsplit

LOGIN = "/accounts/login/"
STYLESHEET = re.compile(r'<link[^>]+rel="stylesheet"[^>]+href="([^"]+)"')


def get(base: str, path: str, host: str) -> tuple[int, str]:
    parts = urlsplit(base)
    connection = http.client.HTTPConnection(parts.hostname or "127.0.0.1", parts.port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": host, "X-Forwarded-Proto": "https"})
        response = connection.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    finally:
        connection.close()


def check(base: str, host: str) -> list[str]:
    failures = []
    status, page = get(base, LOGIN, host)
    if status != 200:
        return [f"{LOGIN} answered {status}"]
    links = STYLESHEET.findall(page)
    if not links:
        failures.append(f"{LOGIN} links no stylesheet")
    for link in links:
        path = urlsplit(urljoin(LOGIN, link)).path
        status, _ = get(base, path, host)
        if status != 200:
            failures.append(f"{path} answered {status}")
    status, body = get(base, "/healthz", host)
    if status != 200:
        failures.append(f"/healthz answered {status}: {body[:200]}")
    return failures


def main() -> int:
    base = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
    hosts = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h.strip()]
    host = next((h for h in hosts if not h.startswith(".") and h != "*"), "localhost")
    try:
        failures = check(base, host)
    except OSError as error:
        failures = [f"{base}: {error}"]
    for failure in failures:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
