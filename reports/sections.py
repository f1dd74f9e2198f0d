"""The sections of the monthly progress report, contributed by the modules.

A module names, on its ``AppConfig`` (``Contribution(report_sections=
"app.report_sections.sections")``, see :mod:`congress_portal.contributions`), a function
``sections(period) -> list[Section]`` in its own ``report_sections.py``, whose templates
sit beside it (``app/templates/app/report/``); the document, the cover, the contents and
the key figures pick its sections up without any other change. Sections are ordered by
``order``, then in ``INSTALLED_APPS`` order (the appendix uses 900, so it stays last
whoever contributes it).

Besides its chapter, a section feeds the first page, the summary 综述, and the charts:

- ``key_figures``: the 主要数据 table, this month beside last month when the module
  gives ``previous`` (the same figure as of the previous month's end);
- ``sentences``: the summary's sentences, drawn from the data;
- ``attention``: candidates for the three things a leader should look at; the report
  keeps the three with the most days past their deadline (ties: the heavier task), see
  :func:`attention_top`;
- ``charts``: drawn as SVG by the report (``reports/pdf/chart.html``);
- ``headline``: the module's one ratio (done / total) for the headline-figures chart.

A section with ``template=""`` has no chapter: it only feeds the summary and charts.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.utils.module_loading import import_string

from congress_portal.contributions import contributions


@dataclass(frozen=True)
class ReportPeriod:
    """The month reported on. ``as_of`` is its last day: statuses are as of month end."""

    month: date

    @property
    def first_day(self) -> date:
        return self.month

    @property
    def last_day(self) -> date:
        return self.month.replace(day=calendar.monthrange(self.month.year, self.month.month)[1])

    @property
    def as_of(self) -> date:
        return self.last_day

    @property
    def previous(self) -> ReportPeriod:
        """The month before, for the comparison on the summary page."""
        return ReportPeriod(month=(self.month - timedelta(days=1)).replace(day=1))

    def months_of_year(self) -> list[ReportPeriod]:
        """January to this month, for the charts across the year."""
        return [
            ReportPeriod(month=self.month.replace(month=m)) for m in range(1, self.month.month + 1)
        ]


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    note: str = ""
    #: The same figure at the previous month's end ("" when not compared).
    previous: str = ""
    #: Whether a rise is good ("up"), bad ("down") or neither (""): colours the change.
    better: str = ""

    @property
    def change(self) -> int | None:
        """This month minus last month, when both are whole numbers."""
        try:
            return int(self.value) - int(self.previous)
        except ValueError:
            return None


@dataclass(frozen=True)
class Attention:
    """One open item past its deadline at the month's end: a candidate for the summary."""

    days_late: int
    weight: int  # the weight of the task it concerns; 0 when it concerns no task
    kind: str  # 逾期任务, 督办事项, 民生实事节点…
    title: str
    unit: str = ""
    ref: str = ""  # 第12项, the handover's number…, the tie-break after the weight


def attention_top(items: list[Attention], n: int = 3) -> list[Attention]:
    """The fixed rule: the ``n`` items with the most days past their deadline, ties
    broken by the task's weight (heavier first), then by kind, reference and title so
    the same data always gives the same three."""
    return sorted(items, key=lambda a: (-a.days_late, -a.weight, a.kind, a.ref, a.title))[:n]


@dataclass(frozen=True)
class Series:
    name: str
    values: list[float]


@dataclass(frozen=True)
class Chart:
    """A chart the report draws as SVG. ``kind``: "stacked" (horizontal stacked bars, one
    per category), "bars" (horizontal bars, one series), "line" (a line per series over
    the categories), "columns" (vertical bars, one series)."""

    title: str
    kind: str
    categories: list[str]
    series: list[Series]
    unit: str = ""
    note: str = ""
    max_value: float | None = None  # the scale's top (100 for percentages)
    order: int = 100


@dataclass(frozen=True)
class Headline:
    """A module's one ratio for the headline-figures chart (完成率, 按时答复率…)."""

    label: str
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


@dataclass
class Section:
    slug: str  # the anchor in the document, for the contents
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    key_figures: list[KeyFigure] = field(default_factory=list)
    order: int = 100
    sentences: list[str] = field(default_factory=list)
    attention: list[Attention] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    headlines: list[Headline] = field(default_factory=list)


def sections_for(period: ReportPeriod) -> list[Section]:
    collected: list[Section] = []
    for contribution in contributions():
        if contribution.report_sections:
            collected.extend(import_string(contribution.report_sections)(period))
    return sorted(collected, key=lambda s: s.order)
