"""Reads of generated reports."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet

from reports.models import GeneratedReport

MONTHS_PER_PAGE = 12


def reports_for(user) -> QuerySet[GeneratedReport]:
    return (
        GeneratedReport.objects.visible_to(user)
        .select_related("requested_by")
        .order_by("-month", "-created_at", "-pk")
    )


@dataclass
class MonthReports:
    """One month on the reports page: its official report (the latest version made),
    the earlier versions, and the report being made, if any."""

    month: dt.date
    official: GeneratedReport | None = None
    earlier: list[GeneratedReport] = field(default_factory=list)
    under_way: GeneratedReport | None = None
    failed: GeneratedReport | None = None


def months_page(user, page_number) -> tuple[Page, list[MonthReports]]:
    """The page of months (newest first) and each month's reports, versions numbered in
    the order they were made (``report.version``); two queries besides the count."""
    months = (
        GeneratedReport.objects.visible_to(user)
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()
    )
    page = Paginator(months, MONTHS_PER_PAGE).get_page(page_number)
    chosen = list(page.object_list)
    rows = {month: MonthReports(month) for month in chosen}
    reports = list(reports_for(user).filter(month__in=chosen).order_by("month", "created_at", "pk"))
    for month in chosen:
        versions = [r for r in reports if r.month == month]
        done = [r for r in versions if r.status == GeneratedReport.Status.DONE]
        done.sort(key=lambda r: (r.finished_at or r.created_at, r.pk))
        for number, report in enumerate(done, start=1):
            report.version = number  # type: ignore[attr-defined]  # shown beside each version
        row = rows[month]
        row.official = done[-1] if done else None
        row.earlier = list(reversed(done[:-1]))
        row.under_way = next((r for r in versions if r.is_open), None)
        failed = [r for r in versions if r.status == GeneratedReport.Status.FAILED]
        latest = versions[-1] if versions else None
        row.failed = latest if latest in failed else None
    return page, [rows[month] for month in chosen]
