"""Home-page panels of this module (see ``dashboard.panels``): for a secretary, today's
duty days, the online opinions (网上留言) waiting and overdue referrals; for a deputy, their
next duty days."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.panels import Panel
from liaison_stations import selectors
from organisation.roles import Role


def home_panels(request) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    if user.role == Role.SECRETARY:
        return [
            Panel(
                title=_("Duty today"),
                template="liaison_stations/panels/today.html",
                context={
                    "shifts": list(selectors.todays_shifts(user, today)[:10]),
                    "inbox": selectors.inbox_for(user).count(),
                    "overdue": selectors.open_referrals(user)
                    .filter(referral_due__lt=today)
                    .count(),
                },
                order=10,
            )
        ]
    if user.role == Role.DEPUTY:
        deputy = getattr(user, "deputy_record", None)
        if deputy is None:
            return []
        return [
            Panel(
                title=_("My next duty days"),
                template="liaison_stations/panels/my_shifts.html",
                context={"shifts": list(selectors.shifts_of_deputy(deputy, today)[:3])},
                order=10,
            )
        ]
    return []
