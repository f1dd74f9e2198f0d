"""The sections of the monthly progress report, contributed by the modules.

A module names, on its ``AppConfig`` (``Contribution(report_sections=
"app.report_sections.sections")``, see :mod:`congress_portal.contributions`), a function
``sections(period) -> list[Section]`` in its own ``report_sections.py``, whose templates
sit beside it (``app/templates/app/report/``); the document, the cover, the contents and
the key figures pick its sections up without any other change. Sections are ordered by
``order``, then in ``INSTALLED_APPS`` order (the appendix uses 900, so it stays last
whoever contributes it).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
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


def sections_for(period: ReportPeriod) -> list[Section]:
    collected: list[Section] = []
    for contribution in contributions():
        if contribution.report_sections:
            collected.extend(import_string(contribution.report_sections)(period))
    return sorted(collected, key=lambda s: s.order)
