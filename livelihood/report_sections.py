"""The livelihood projects' section of the monthly progress report (contributed in
apps.py): the year's chosen projects by stage, the money allocated and spent against each
pool, the late milestones. The evaluation results 代表评 are added below them by the
evaluation work (see ``EVALUATION`` in the template: one block, already placed).

Texts are Chinese literals: the report is always the committee's Chinese document.
Everything is as of the month's last day, read from the dated rows (started_on,
completed_on, milestones' due and done_on, allocations' day)."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Count, DecimalField, F, Q, Sum

from livelihood.models import Allocation, Evaluation, Milestone, Project
from reports.sections import Attention, Headline, KeyFigure, ReportPeriod, Section

LATE_ROWS = 20


def sections(period: ReportPeriod) -> list[Section]:
    year, as_of = period.month.year, period.as_of
    projects = Project.objects.filter(proposal__year=year)
    if not projects.exists():
        return []
    # Stage as of month end, from the days (a project completed later is under way then).
    stages = projects.aggregate(
        total=Count("pk"),
        completed=Count("pk", filter=Q(completed_on__lte=as_of)),
        under_way=Count(
            "pk",
            filter=Q(started_on__lte=as_of)
            & (Q(completed_on__isnull=True) | Q(completed_on__gt=as_of)),
        ),
    )
    stages["planned"] = stages["total"] - stages["completed"] - stages["under_way"]
    money = DecimalField(max_digits=14, decimal_places=4)
    pools = list(
        Allocation.objects.filter(project__proposal__year=year, on__lte=as_of)
        .values(
            "pool", "pool__region__name", "pool__level", "pool__amount", "pool__funded_by__name"
        )
        .annotate(
            allocated=Sum("amount"),
            projects=Count("project", distinct=True),
            spent=Sum(
                F("project__spent") * F("amount") / F("project__allocated"),
                output_field=money,
                filter=Q(project__allocated__gt=0),
            ),
        )
        .order_by("-allocated", "pool")
    )
    cent = Decimal("0.01")
    for row in pools:
        # Quantized here: SQLite sums decimals as numbers, PostgreSQL as numeric.
        row["allocated"] = Decimal(row["allocated"] or 0).quantize(cent)
        row["spent"] = Decimal(row["spent"] or 0).quantize(cent)
        row["left"] = (row["pool__amount"] - row["allocated"]).quantize(cent)
    allocated = sum((r["allocated"] for r in pools), Decimal(0))
    spent = sum((r["spent"] for r in pools), Decimal(0))
    late_q = (
        Milestone.objects.filter(project__proposal__year=year, due__lt=as_of)
        .filter(Q(done_on__isnull=True) | Q(done_on__gt=as_of))
        .exclude(project__completed_on__lte=as_of)
    )
    late_count = late_q.values("project").distinct().count()
    late = list(
        late_q.select_related("project__proposal__region", "project__unit").order_by("due", "pk")[
            :LATE_ROWS
        ]
    )
    for m in late:
        m.days_late = (as_of - m.due).days
    # 代表评: the projects rated this year up to the month's end, with the rule's verdict.
    evaluation = list(
        Evaluation.objects.filter(
            recorded_on__year=year, recorded_on__lte=as_of, unsatisfactory__isnull=False
        )
        .select_related("proposal__region", "poll__session")
        .order_by("poll__session__date", "pk")
    )
    return [
        Section(
            slug="livelihood",
            title="民生实事项目实施",
            template="livelihood/report/livelihood.html",
            context={
                "year": year,
                "stages": stages,
                "pools": pools[:30],
                "more_pools": max(0, len(pools) - 30),
                "allocated": allocated,
                "spent": spent,
                "late": late,
                "late_count": late_count,
                "more_late": max(0, late_q.count() - LATE_ROWS),
                # 代表评: the evaluation results (livelihood/supervision.py).
                "evaluation": evaluation,
                "unsatisfactory": sum(bool(e.unsatisfactory) for e in evaluation),
            },
            key_figures=[
                KeyFigure(
                    "民生实事项目（项）",
                    str(stages["total"]),
                    f"已完成{stages['completed']}项，实施中{stages['under_way']}项，"
                    f"节点逾期{late_count}项",
                )
            ],
            sentences=[
                f"{year}年票决确定的民生实事项目{stages['total']}项，已完成{stages['completed']}项，"
                f"实施中{stages['under_way']}项，{late_count}个项目有节点逾期。"
            ],
            # The late milestones, the most days late first (the summary keeps three).
            attention=[
                Attention(
                    days_late=m.days_late,
                    weight=0,
                    kind="民生实事节点逾期",
                    title=f"{m.project.proposal.title}（{m.title}）",
                    unit=m.project.unit.name if m.project.unit else "",
                    ref=m.project.proposal.region.name,
                )
                for m in late
            ],
            headlines=[Headline("民生实事完成率", stages["completed"], stages["total"])],
            order=70,
        )
    ]
