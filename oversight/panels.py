"""Home-page panels of oversight (see ``dashboard.panels``): for the office of a
congress, what waits for it (visits to make, second-list items to verify, report-backs to
review, overdue items); for a leader, the year's rectification (verified apart from
closed unresolved); for a unit, its rectification items and review opinions."""

from __future__ import annotations

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dashboard.panels import Panel
from handovers.models import Handover
from organisation.access import has_role
from organisation.congresses import CongressLevel
from organisation.roles import OVERSIGHT_KEEPERS, Role
from oversight.models import Case, Problem, ReviewOpinion
from oversight.selectors import case_problem_stats
from oversight.services import OPINION_KIND, RECTIFICATION_KIND


def _own_cases(user):
    cases = Case.objects.visible_to(user)
    if user.role != Role.SECRETARY:
        cases = cases.filter(level=CongressLevel.CITY)
    return cases


def home_panels(request) -> list[Panel]:
    user = request.user
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    if user.role == Role.UNIT and user.unit_id:
        return _unit_panels(user, today)
    if user.role == Role.LEADER:
        return _leader_panels(user, today)
    if has_role(user, OVERSIGHT_KEEPERS):
        return _office_panels(user, today)
    return []


def _office_panels(user, today) -> list[Panel]:
    cases = _own_cases(user)
    S = Problem.State
    # One query: the problems and the report-backs joined to the cases, counted distinct.
    counts = cases.aggregate(
        to_visit=Count("problems", filter=Q(problems__state=S.REPORTED), distinct=True),
        to_verify=Count("problems", filter=Q(problems__state=S.SECOND_REPORTED), distinct=True),
        to_hand=Count("problems", filter=Q(problems__state=S.FOUND), distinct=True),
        overdue=Count(
            "problems",
            filter=Q(problems__state__in=Problem.WITH_UNIT, problems__handover__due_on__lt=today),
            distinct=True,
        ),
        to_review=Count(
            "opinions", filter=Q(opinions__state=ReviewOpinion.State.REPORTED), distinct=True
        ),
    )
    to_review = counts.pop("to_review")
    if not any(counts.values()) and not to_review:
        return []
    waiting = list(
        cases.filter(problems__state__in=[S.REPORTED, S.SECOND_REPORTED, S.FOUND])
        .distinct()
        .order_by("-year", "pk")[:5]
    )
    return [
        Panel(
            title=_("Oversight: waiting for the office"),
            template="oversight/panels/office.html",
            context={**counts, "to_review": to_review, "cases": waiting},
            order=35,
        )
    ]


def _leader_panels(user, today) -> list[Panel]:
    year = today.year
    cases = Case.objects.visible_to(user).filter(year=year, level=CongressLevel.CITY)
    stats, extra = case_problem_stats(
        cases, today, running=Count("pk", filter=Q(state=Case.State.RUNNING), distinct=True)
    )
    running = extra["running"]
    if not stats.total and not running:
        return []
    return [
        Panel(
            title=_("Oversight this year"),
            template="oversight/panels/leader.html",
            context={"stats": stats, "running": running, "year": year},
            order=35,
        )
    ]


def _unit_panels(user, today) -> list[Panel]:
    mine = Handover.objects.filter(
        unit=user.unit_id, kind__in=[RECTIFICATION_KIND, OPINION_KIND]
    ).with_unit()
    counts = mine.aggregate(
        rectification=Count("pk", filter=Q(kind=RECTIFICATION_KIND)),
        second=Count("pk", filter=Q(kind=RECTIFICATION_KIND, round=2)),
        opinions=Count("pk", filter=Q(kind=OPINION_KIND)),
        overdue=Count("pk", filter=Q(due_on__lt=today)),
    )
    if not counts["rectification"] and not counts["opinions"]:
        return []
    return [
        Panel(
            title=_("Oversight: rectification and review opinions"),
            template="oversight/panels/unit.html",
            context={
                **counts,
                "soonest": list(mine.order_by("due_on", "pk")[:5]),
                "inbox": reverse("handovers:index"),
            },
            order=15,
        )
    ]
