"""A signed-in session ends after SESSION_COOKIE_AGE without a request.

Django's SESSION_SAVE_EVERY_REQUEST would restart the idle clock by writing the session
on every request: three queries (a savepoint, the UPDATE, its release) on each page. The
clock needs no such precision: the session is written again only when its last write is
older than SESSION_REFRESH_AFTER seconds (a minute), so a person who keeps working stays
signed in and one who walks away is signed out between SESSION_COOKIE_AGE minus a minute
and SESSION_COOKIE_AGE after their last request.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

WRITTEN_AT = "_written_at"


@receiver(user_logged_in, dispatch_uid="idle_sessions.stamp_login")
def stamp_login(sender: object, request: HttpRequest, **kwargs: object) -> None:
    """Signing in writes the session anyway: stamp it, so the first page does not again."""
    if getattr(request, "session", None) is not None:
        request.session[WRITTEN_AT] = int(time.time())


class IdleSessionMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.is_empty():
            return response
        now = int(time.time())
        if session.modified or now - session.get(WRITTEN_AT, 0) >= settings.SESSION_REFRESH_AFTER:
            # Marking it modified makes SessionMiddleware (outside this one) save it, which
            # sets a new expiry date in the store and a new Max-Age on the cookie.
            session[WRITTEN_AT] = now
        return response
