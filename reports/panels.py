"""Home-page panel of the reports (see ``dashboard.panels``): a leader's monthly progress
report, the month just ended, to download."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.panels import Panel
from organisation.roles import Role
from reports.models import GeneratedReport


def last_month(today: datetime.date) -> datetime.date:
    """The month the report made on the 1st is about: the one before ``today``'s."""
    return (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def home_panels(request) -> list[Panel]:
    user = request.user
    if not user.is_authenticated or user.role != Role.LEADER:
        return []
    month = last_month(timezone.localdate())
    report = (
        GeneratedReport.objects.filter(
            kind=GeneratedReport.Kind.MONTHLY, month=month, status=GeneratedReport.Status.DONE
        )
        .exclude(file="")
        .order_by("-finished_at", "-pk")
        .first()
    )
    return [
        Panel(
            title=_("This month's progress report"),
            template="reports/panels/monthly.html",
            context={"report": report, "month": month},
            order=4,
        )
    ]
