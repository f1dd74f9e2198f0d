"""Home-page panels of this module (see ``dashboard.panels``)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from dashboard.panels import Panel
from notifications.selectors import notifications_for

SHOWN = 5


def home_panels(request) -> list[Panel]:
    """The user's latest unread notifications; nothing when every one is read."""
    unread = notifications_for(request.user, unread_only=True)
    latest = list(unread[:SHOWN])
    if not latest:
        return []
    # Count only when the short list may not be all of them: one query in the usual case.
    count = unread.count() if len(latest) == SHOWN else len(latest)
    return [
        Panel(
            title=_("Unread notifications"),
            template="notifications/panels/unread.html",
            context={"count": count, "notifications": latest, "more": count - len(latest)},
            order=5,
        )
    ]
