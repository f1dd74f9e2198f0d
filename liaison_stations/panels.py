"""Home-page panels of this module (see ``dashboard.panels``): for a secretary, today's
duty days, the online opinions (网上留言) waiting, overdue referrals and the answers to
verify; for a deputy, their
next duty days."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.panels import Panel
from handovers.models import Handover
from liaison_stations import selectors
from organisation.roles import Role


def home_panels(request) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    if user.role == Role.SECRETARY:
        # Overdue: still with the unit past the deadline; answered: the unit's answer waits
        # for the secretary to verify it with the constituent (one query).
        answered = Q(handover_state=Handover.State.ANSWERED)
        referrals = selectors.open_referrals(user).aggregate(
            overdue=Count("pk", filter=Q(referral_due__lt=today) & ~answered),
            answered=Count("pk", filter=answered),
        )
        return [
            Panel(
                title=_("Duty today"),
                template="liaison_stations/panels/today.html",
                context={
                    "shifts": list(selectors.todays_shifts(user, today)[:10]),
                    "inbox": selectors.inbox_for(user).count(),
                    "overdue": referrals["overdue"],
                    "answered": referrals["answered"],
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
