"""The handovers' part of the monthly progress report (contributed in apps.py): no
chapter of its own (each kind's module reports its work), but the summary's count of
red work 红色督办事项 — still with a unit past its deadline at the month's end, this
month and last — and the red items as candidates for the leader's attention.

"At the month's end" is read from the dated columns: handed over by then, neither
answered nor closed by then, the deadline before then. Texts are Chinese literals: the
report is always the committee's Chinese document."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.utils import translation

from handovers.kinds import kind_named
from handovers.models import Handover
from reports.sections import Attention, KeyFigure, ReportPeriod, Section

ATTENTION_ROWS = 10


def red_on(day: dt.date):
    """Handovers still with their unit past the deadline at the end of ``day``."""
    return Handover.objects.filter(handed_on__lte=day, due_on__lt=day).filter(
        Q(answered_on__isnull=True) | Q(answered_on__gt=day),
        Q(closed_on__isnull=True) | Q(closed_on__gt=day),
    )


def sections(period: ReportPeriod) -> list[Section]:
    as_of = period.as_of
    red = red_on(as_of)
    by_kind = dict(red.order_by().values("kind").annotate(n=Count("pk")).values_list("kind", "n"))
    total = sum(by_kind.values())
    before = red_on(period.previous.as_of).count()
    if not total and not before:
        return []
    with translation.override("zh-hans"):
        labels = {kind: str(kind_named(kind).label) for kind in by_kind}
    parts = "，".join(
        f"{labels[kind]}{n}件"
        for kind, n in sorted(by_kind.items(), key=lambda kv: (-kv[1], kv[0]))
    )
    oldest = list(red.select_related("unit").order_by("due_on", "pk")[:ATTENTION_ROWS])
    return [
        Section(
            slug="handovers",
            title="红色督办事项",
            template="",  # the summary only
            key_figures=[
                KeyFigure(
                    "红色督办事项（件）",
                    str(total),
                    "月末超过办理期限尚未答复",
                    previous=str(before),
                    better="down",
                )
            ],
            sentences=[
                f"月末超过办理期限尚未答复的红色督办事项{total}件（上月末{before}件）"
                + (f"：{parts}。" if parts else "。")
            ],
            attention=[
                Attention(
                    days_late=(as_of - handover.due_on).days,
                    weight=0,
                    kind=f"红色督办（{labels[handover.kind]}）",
                    title=handover.title,
                    unit=handover.unit.name,
                )
                for handover in oldest
            ],
            order=45,
        )
    ]
