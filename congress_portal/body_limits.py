"""Refuse a request body over its limit before anything reads it.

Django reads a POST body when a view (or the CSRF check) first touches ``request.POST``
or ``request.FILES``; uploaded files are spooled to disk whatever their size. So a 60 MB
body sent to the public opinion form would be read in full. This middleware looks only
at ``Content-Length`` and answers 413 at once when it is over the limit:

- a visitor who is not signed in (the public station pages, the login page) sends small
  forms: ``BODY_LIMIT_ANONYMOUS``;
- a signed-in person may upload evidence, photos and spreadsheets (10 MB each, a few at
  once): ``BODY_LIMIT_SIGNED_IN``.

The production proxy (deploy/nginx) refuses the same sizes first; this is the same rule
for the embedded run and for anything that reaches gunicorn directly.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class BodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length:
            signed_in = request.user.is_authenticated
            limit = settings.BODY_LIMIT_SIGNED_IN if signed_in else settings.BODY_LIMIT_ANONYMOUS
            if length > limit:
                return render(
                    request,
                    "body_too_large.html",
                    {"limit_kb": limit // 1024, "limit_mb": limit // 2**20},
                    status=413,
                )
        return self.get_response(request)
