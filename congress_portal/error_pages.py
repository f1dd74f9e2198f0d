"""The page a refused form gets: Django's ``CSRF_FAILURE_VIEW``.

The 403, 404 and 500 pages are Django's own handlers rendering ``templates/403.html``,
``404.html`` and ``500.html``. A CSRF failure has its own page because its cause is
almost always a stale form (the session ended, or the person signed out or in again in
another tab), and the way out is to reload or sign in again. The technical reason is
kept from the person: ``CsrfViewMiddleware`` has already logged it
(``django.security.csrf``).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "403_csrf.html", status=403)
