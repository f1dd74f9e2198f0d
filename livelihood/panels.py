"""Home-page panels of the livelihood projects (see ``dashboard.panels``): for a deputy,
the proposals of their congresses open to deliberation; for the office of a congress, the
proposals waiting for its screening."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from dashboard.panels import Panel
from deputies.models import Mandate
from livelihood.models import Level, Proposal
from organisation.access import region_q
from organisation.roles import Role


def home_panels(request) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    open_ = Proposal.objects.filter(status__in=Proposal.OPEN)
    if user.role == Role.DEPUTY:
        seat = Mandate.objects.active().filter(
            deputy__user=user.pk, level=OuterRef("level"), region=OuterRef("region")
        )
        count = open_.filter(Exists(seat)).exclude(comments__deputy__user=user.pk).count()
        if not count:
            return []
        return [
            Panel(
                title=_("Livelihood projects to deliberate"),
                template="livelihood/panels/deputy.html",
                context={"count": count},
                order=16,
            )
        ]
    if user.role == Role.STAFF:
        kept = open_.filter(level=Level.CITY)
    elif user.role == Role.SECRETARY:
        kept = open_.filter(region_q(user, "region") & ~Q(level=Level.CITY))
    else:
        return []
    count = kept.count()
    if not count:
        return []
    return [
        Panel(
            title=_("Livelihood projects to screen"),
            template="livelihood/panels/office.html",
            context={"count": count},
            order=16,
        )
    ]
