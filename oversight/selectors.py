"""Reads of the oversight module: lists, the plan against reality, the case page, and
the rectification statistics ("rectified and verified" always apart from "closed
unresolved")."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from handovers.models import Handover
from organisation.models import User
from oversight.models import (
    Case,
    CaseStage,
    Participant,
    Plan,
    PlanItem,
    Problem,
    ReviewOpinion,
    SecondVisit,
    VisitFinding,
)


@dataclass(frozen=True)
class ProblemStats:
    total: int = 0
    found: int = 0  # not yet handed over
    rectifying: int = 0  # with the unit, first round
    reported: int = 0  # reported, waiting for the second visit
    second_list: int = 0  # on the second list, not yet closed
    verified: int = 0  # rectified and verified
    unresolved: int = 0  # closed unresolved by the office
    overdue: int = 0  # with the unit past its deadline

    @property
    def open(self) -> int:
        return self.total - self.verified - self.unresolved

    @property
    def rate(self) -> int:
        """Rectified and verified, in per cent of all the problems (closed unresolved
        is not rectified)."""
        return self.verified * 100 // self.total if self.total else 0


def _problem_counts(prefix: str, today: dt.date | None) -> dict[str, Count]:
    """ProblemStats' counts over the problems at ``prefix`` ("" from problems,
    "problems__" from cases: distinct, as the cases' other joins may repeat a problem)."""
    S = Problem.State
    distinct = bool(prefix)

    def count(**where: object) -> Count:
        condition = Q(**{prefix + field: value for field, value in where.items()})
        return Count(prefix + "pk", filter=condition if where else None, distinct=distinct)

    return {
        "total": count(),
        "found": count(state=S.FOUND),
        "rectifying": count(state=S.RECTIFYING),
        "reported": count(state=S.REPORTED),
        "second_list": count(state__in=[S.SECOND_LIST, S.SECOND_REPORTED]),
        "verified": count(state=S.VERIFIED),
        "unresolved": count(state=S.UNRESOLVED),
        "overdue": count(
            handover__state__in=Handover.WITH_UNIT,
            handover__due_on__lt=today or timezone.localdate(),
        ),
    }


def problem_stats(problems: QuerySet[Problem], today: dt.date | None = None) -> ProblemStats:
    """One query over ``problems``."""
    return ProblemStats(**problems.aggregate(**_problem_counts("", today)))


def case_problem_stats(
    cases: QuerySet[Case], today: dt.date | None = None, **extra: Count
) -> tuple[ProblemStats, dict[str, int]]:
    """The problems of ``cases`` counted as :func:`problem_stats` does, and ``extra``
    counts over the cases themselves (distinct: the problems repeat each case), in one
    query."""
    counts = _problem_counts("problems__", today)
    row = cases.aggregate(**counts, **extra)
    return ProblemStats(**{name: row[name] for name in counts}), {name: row[name] for name in extra}


# --- Lists -----------------------------------------------------------------------------------


def cases_for(user: User) -> QuerySet[Case]:
    """The cases ``user`` may see, with their problems counted (verified apart from
    closed unresolved)."""
    S = Problem.State
    return (
        Case.objects.visible_to(user)
        .select_related("region", "plan_item")
        .annotate(
            n_problems=Count("problems", distinct=True),
            n_verified=Count("problems", filter=Q(problems__state=S.VERIFIED), distinct=True),
            n_unresolved=Count("problems", filter=Q(problems__state=S.UNRESOLVED), distinct=True),
            n_second=Count(
                "problems",
                filter=Q(problems__state__in=[S.SECOND_LIST, S.SECOND_REPORTED]),
                distinct=True,
            ),
        )
        .order_by("-year", "state", "-pk")
    )


@dataclass
class QuarterRow:
    quarter: int
    planned: list[PlanItem] = field(default_factory=list)
    cases: dict[str, int] = field(default_factory=dict)  # state -> count

    @property
    def unstarted(self) -> int:
        """Planned items without a case yet."""
        return len([item for item in self.planned if not getattr(item, "case_ids", None)])


@dataclass
class PlanView:
    plan: Plan | None
    quarters: list[QuarterRow]
    totals: dict[str, int]


def plan_against_reality(user: User, *, year: int, region_id: int | None, level: str) -> PlanView:
    """The plan's items per quarter beside the cases of each quarter (planned, under
    way, finished); a case counts in its plan item's quarter, or its start's."""
    plans = Plan.objects.visible_to(user).filter(year=year, level=level)
    if region_id is not None:
        plans = plans.filter(region=region_id)
    plan = plans.select_related("region").first()
    quarters = [QuarterRow(q) for q in range(1, 5)]
    if plan is not None:
        items = (
            PlanItem.objects.filter(plan=plan)
            .prefetch_related(Prefetch("cases", queryset=Case.objects.only("pk", "plan_item")))
            .order_by("quarter", "pk")
        )
        for item in items:
            item.case_ids = [c.pk for c in item.cases.all()]  # type: ignore[attr-defined]
            quarters[item.quarter - 1].planned.append(item)
    cases = Case.objects.visible_to(user).filter(year=year, level=level)
    if plan is not None:
        cases = cases.filter(region=plan.region_id)
    elif region_id is not None:
        cases = cases.filter(region=region_id)
    totals = dict.fromkeys(Case.State.values, 0)
    for state, quarter, started in cases.values_list(
        "state", "plan_item__quarter", "started_on"
    ).order_by():
        q = quarter or (((started.month - 1) // 3 + 1) if started else None)
        totals[state] += 1
        if q:
            quarters[q - 1].cases[state] = quarters[q - 1].cases.get(state, 0) + 1
    return PlanView(plan=plan, quarters=quarters, totals=totals)


# --- The case page ---------------------------------------------------------------------------


def case_page(case: Case) -> dict:
    """Everything the case page shows, in a fixed number of queries."""
    problems = list(
        Problem.objects.filter(case=case)
        .select_related("unit", "handover")
        .prefetch_related(
            Prefetch(
                "findings",
                queryset=VisitFinding.objects.select_related("visit").order_by("visit__date"),
            )
        )
        .order_by("number")
    )
    return {
        "stages": list(CaseStage.objects.filter(case=case).order_by("planned_on", "pk")),
        "participants": participants_of(case),
        "documents": list(case.documents.all()),
        "target_units": list(case.target_units.all()),
        "problems": problems,
        "visits": list(SecondVisit.objects.filter(case=case).order_by("date", "pk")),
        "opinions": list(
            ReviewOpinion.objects.filter(case=case)
            .select_related("unit", "handover")
            .prefetch_related("reviews")
            .order_by("issued_on", "pk")
        ),
    }


def participants_of(case: Case) -> list[Participant]:
    """The group leader first, then the standing-committee members, then the deputies."""
    order = {role: i for i, role in enumerate(Participant.Role.values)}
    rows = Participant.objects.filter(case=case).select_related("deputy").order_by("pk")
    return sorted(rows, key=lambda row: order[row.role])


def stats_of(problems: list[Problem], today: dt.date) -> ProblemStats:
    """The same counts as :func:`problem_stats`, from problems already read."""
    S = Problem.State
    states = [p.state for p in problems]
    return ProblemStats(
        total=len(states),
        found=states.count(S.FOUND),
        rectifying=states.count(S.RECTIFYING),
        reported=states.count(S.REPORTED),
        second_list=states.count(S.SECOND_LIST) + states.count(S.SECOND_REPORTED),
        verified=states.count(S.VERIFIED),
        unresolved=states.count(S.UNRESOLVED),
        overdue=sum(
            1
            for p in problems
            if p.handover is not None and p.handover.is_with_unit and p.handover.due_on < today
        ),
    )


def overdue_by_unit(user: User, today: dt.date) -> list[dict]:
    """Rectification items and review opinions with units past their deadline, per unit."""
    rows = (
        Handover.objects.visible_to(user)
        .filter(
            kind__in=["rectification", "review_opinion"],
            state__in=Handover.WITH_UNIT,
            due_on__lt=today,
        )
        .values("unit__name")
        .annotate(n=Count("pk"))
        .order_by("-n", "unit__name")
    )
    return list(rows)
