"""The home panel of absences without leave: for the office and the secretaries of the
regions where a deputy has missed two sessions (ballots/attendance.py)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from ballots.attendance import absences
from dashboard.panels import Panel
from organisation.access import has_role
from organisation.roles import REGION_READERS


def home_panels(request) -> list[Panel]:
    user = request.user
    if not has_role(user, REGION_READERS):
        return []
    count = absences(user, named=False).count()
    if not count:
        return []
    return [
        Panel(
            title=_("Absences without leave"),
            template="ballots/panels/absences.html",
            context={"count": count},
            order=12,
        )
    ]
