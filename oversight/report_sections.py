"""The oversight section of the monthly progress report (contributed in apps.py): the
cases under way in the month, the rectification of the year's problems — rectified and
verified always apart from closed unresolved — and the overdue items by unit.

Texts are Chinese literals: the report is always the committee's Chinese document.
Everything is as of the month's last day, read from the dated rows (a case's start and
finish, a problem's closing day, a handover's deadline and answer)."""

from __future__ import annotations

from django.db.models import Count, Q

from handovers.models import Handover
from oversight.models import Case, Problem
from reports.sections import Headline, KeyFigure, ReportPeriod, Section

CASE_ROWS = 30
UNIT_ROWS = 20
KINDS = ["rectification", "review_opinion"]


def sections(period: ReportPeriod) -> list[Section]:
    year, first, as_of = period.month.year, period.first_day, period.as_of
    cases_q = (
        Case.objects.filter(started_on__lte=as_of)
        .filter(Q(finished_on__isnull=True) | Q(finished_on__gte=first))
        .select_related("region")
        .annotate(n_problems=Count("problems"))
        .order_by("level", "region__path", "started_on", "pk")
    )
    cases = list(cases_q[:CASE_ROWS])
    problems = Problem.objects.filter(created_before_q(as_of), case__year=year)
    counts = _counts(year, as_of)
    # Put on the second list by a visit up to the month's end (closed since or not).
    counts["second_list"] = (
        problems.filter(second_due_on__isnull=False, findings__visit__date__lte=as_of)
        .values("pk")
        .distinct()
        .count()
    )
    if not cases and not counts["total"]:
        return []
    total = counts["total"]
    counts["open"] = total - counts["verified"] - counts["unresolved"]
    counts["rate"] = round(counts["verified"] * 100 / total, 1) if total else 0
    overdue = list(
        Handover.objects.filter(kind__in=KINDS, handed_on__lte=as_of, due_on__lt=as_of)
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        .filter(Q(state__in=Handover.WITH_UNIT) | Q(answered_on__gt=as_of))
        .values("unit__name")
        .annotate(
            rectification=Count("pk", filter=Q(kind=KINDS[0])),
            opinions=Count("pk", filter=Q(kind=KINDS[1])),
            n=Count("pk"),
        )
        .order_by("-n", "unit__name")
    )
    before = _counts(year, period.previous.as_of) if period.month.month > 1 else None
    return [
        Section(
            slug="oversight",
            title="监督工作和问题整改",
            template="oversight/report/oversight.html",
            context={
                "year": year,
                "cases": cases,
                "more_cases": max(0, cases_q.count() - CASE_ROWS) if len(cases) == CASE_ROWS else 0,
                "first": first,
                "counts": counts,
                "overdue": overdue[:UNIT_ROWS],
                "overdue_total": sum(row["n"] for row in overdue),
                "more_units": max(0, len(overdue) - UNIT_ROWS),
            },
            key_figures=[
                KeyFigure(
                    "监督发现问题整改到位并核实（项）",
                    str(counts["verified"]),
                    f"本年问题{total}项，整改到位率{counts['rate']}%；"
                    f"未解决办结{counts['unresolved']}项另计，仍在整改{counts['open']}项",
                    previous=str(before["verified"]) if before else "",
                    better="up",
                ),
                KeyFigure(
                    "监督发现问题未解决办结（项）",
                    str(counts["unresolved"]),
                    "经二次暗访、列入二次清单后仍未解决，由办公室说明理由办结",
                    previous=str(before["unresolved"]) if before else "",
                    better="down",
                ),
            ],
            sentences=[
                f"{year}年监督发现问题{total}项，整改到位并核实{counts['verified']}项，"
                f"整改到位率{counts['rate']}%；未解决办结{counts['unresolved']}项，单独统计；"
                f"逾期未办结的整改事项和审议意见{sum(row['n'] for row in overdue)}项。"
            ],
            headlines=[Headline("问题整改到位率", counts["verified"], total)] if total else [],
            order=75,
        )
    ]


def _counts(year: int, as_of) -> dict:
    """The year's problems at ``as_of``: verified and closed unresolved, each by its
    closing day, never together."""
    problems = Problem.objects.filter(created_before_q(as_of), case__year=year)
    return problems.aggregate(
        total=Count("pk"),
        verified=Count("pk", filter=Q(state=Problem.State.VERIFIED, closed_on__lte=as_of)),
        unresolved=Count("pk", filter=Q(state=Problem.State.UNRESOLVED, closed_on__lte=as_of)),
    )


def created_before_q(as_of) -> Q:
    """Problems whose case had started by ``as_of`` (a problem is found during its case)."""
    return Q(case__started_on__lte=as_of)
