"""The one registration point for the sections of the monthly progress report.

Each entry is the dotted path of a function ``sections(period) -> list[Section]``.
A later module (livelihood projects, oversight) adds its line here and writes its own
``report_sections.py``; the document, the cover, the contents and the key figures
pick its sections up without any other change. Sections are ordered by ``order``
(the appendix uses 900, so it stays last whoever registers it).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.utils.module_loading import import_string

SECTIONS = [
    "tasks.report_sections.sections",
    "liaison_stations.report_sections.sections",
]


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


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    note: str = ""


@dataclass
class Section:
    slug: str  # the anchor in the document, for the contents
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    key_figures: list[KeyFigure] = field(default_factory=list)
    order: int = 100


def sections_for(period: ReportPeriod, paths: list[str] | None = None) -> list[Section]:
    collected: list[Section] = []
    for dotted in SECTIONS if paths is None else paths:
        collected.extend(import_string(dotted)(period))
    return sorted(collected, key=lambda s: s.order)
