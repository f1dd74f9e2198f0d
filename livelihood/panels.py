"""Home-page panels of the livelihood projects (see ``dashboard.panels``): for a deputy,
the proposals of their congresses open to deliberation; for the office of a congress, the
proposals waiting for its screening."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Q, Window
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import CongressSession, Poll
from dashboard.panels import Panel
from deputies.models import Mandate
from livelihood.models import Level, Project, Proposal
from organisation.access import has_role, region_q
from organisation.roles import OFFICE, Role


def project_panels(user) -> list[Panel]:
    """办: a unit contact's projects (the late ones named); the staff's late projects."""
    if user.role == Role.UNIT and user.unit_id:
        mine = Project.objects.filter(unit=user.unit_id).exclude(state=Project.State.COMPLETED)
        count = mine.count()
        if not count:
            return []
        late = list(mine.late().select_related("proposal")[:5])
        return [
            Panel(
                title=_("Chosen projects of your unit"),
                template="livelihood/panels/unit.html",
                context={"count": count, "late": late},
                order=15,
            )
        ]
    if has_role(user, OFFICE) or user.sees_everything:
        # How many in all rides along with the first five (a window count): one query.
        late = list(
            Project.objects.late()
            .select_related("proposal")
            .annotate(total=Window(Count("pk")))[:5]
        )
        if not late:
            return []
        return [
            Panel(
                title=_("Chosen projects with a late milestone"),
                template="livelihood/panels/late.html",
                context={"count": late[0].total, "late": late},
                order=17,
            )
        ]
    return []


def home_panels(request) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    return project_panels(user) + proposal_panels(user) + supervision_panels(user)


def supervision_panels(user) -> list[Panel]:
    """督/评 for a deputy: the projects of their congresses under way (to inspect) and the
    coming sessions that rate finished projects."""
    if user.role != Role.DEPUTY:
        return []
    seat = Mandate.objects.active().filter(
        deputy__user=user.pk,
        level=OuterRef("proposal__level"),
        region=OuterRef("proposal__region"),
    )
    under_way = Project.objects.filter(Exists(seat), state=Project.State.UNDER_WAY)
    count = under_way.count()
    rated_seat = Mandate.objects.active().filter(
        deputy__user=user.pk, level=OuterRef("level"), region=OuterRef("region")
    )
    coming = list(
        CongressSession.objects.filter(
            Exists(rated_seat),
            date__gte=timezone.localdate(),
            polls__method=Poll.Method.RATE,
            polls__state__in=[Poll.State.DRAFT, Poll.State.OPEN],
        )
        .distinct()
        .order_by("date")[:3]
    )
    if not count and not coming:
        return []
    return [
        Panel(
            title=_("Livelihood projects to inspect and to rate"),
            template="livelihood/panels/supervise.html",
            context={
                "count": count,
                "projects": list(under_way.select_related("proposal").order_by("pk")[:5]),
                "sessions": coming,
            },
            order=18,
        )
    ]


def proposal_panels(user) -> list[Panel]:
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
