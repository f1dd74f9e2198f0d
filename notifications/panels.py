"""Home-page panels of this module (see ``dashboard.panels``)."""

from __future__ import annotations

from django.db.models import Count, Window
from django.utils.translation import gettext as _

from dashboard.panels import Panel
from notifications.selectors import notifications_for, remember_unread_count

SHOWN = 5


def home_panels(request) -> list[Panel]:
    """The user's latest unread notifications; nothing when every one is read."""
    unread = notifications_for(request.user, unread_only=True)
    # How many in all rides along with the first rows (a window count): one query.
    latest = list(unread.annotate(total=Window(Count("pk")))[:SHOWN])
    count = latest[0].total if latest else 0
    remember_unread_count(request.user, count)  # the header badge asks no more
    if not latest:
        return []
    return [
        Panel(
            title=_("Unread notifications"),
            template="notifications/panels/unread.html",
            context={"count": count, "notifications": latest, "more": count - len(latest)},
            order=5,
        )
    ]
