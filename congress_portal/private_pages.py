"""Signed-in pages are nobody else's: ``Cache-Control: private, no-store``.

Deputies' and constituents' names, phone numbers and opinions appear on signed-in pages;
a shared computer's browser cache, or a proxy on the way, must not keep them. Every
response to a signed-in person gets the header unless the view has set its own (a file
download that may be kept, say). Public pages are left to their views (the poster and
the QR code are cacheable on purpose).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class PrivatePagesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response
