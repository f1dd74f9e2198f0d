"""The suggestions' section of the monthly progress report (contributed in apps.py).

Texts are Chinese literals: the report is always the committee's Chinese document."""

from __future__ import annotations

import datetime as dt

from reports.sections import Headline, KeyFigure, ReportPeriod, Section
from suggestions import selectors
from suggestions.models import Suggestion


def _percent(value: int | None) -> str:
    return "—" if value is None else f"{value}%"


def sections(period: ReportPeriod) -> list[Section]:
    start, end = period.first_day, period.last_day + dt.timedelta(days=1)
    of_year = Suggestion.objects.filter(year=period.month.year, submitted_on__lt=end)
    if not of_year.exists():
        return []
    month = selectors.month_counts(start=start, end=end)
    rates = selectors.rates_total(of_year.filter(handover__handed_on__lt=end), period.as_of, "全年")
    late = selectors.late_at(period.as_of, limit=15)
    return [
        Section(
            slug="suggestions",
            title="代表建议办理",
            template="suggestions/report/suggestions.html",
            context={
                "year": period.month.year,
                "month": month,
                "rates": rates,
                "rate_text": {
                    "answered": _percent(rates.answered_rate),
                    "on_time": _percent(rates.on_time_rate),
                    "satisfied": _percent(rates.satisfied_rate),
                    "solved": _percent(rates.solved_rate),
                },
                "late": late,
                "by_unit": selectors.rates_by_unit(
                    of_year.filter(handover__handed_on__lt=end), period.as_of
                )[:10],
            },
            key_figures=[
                KeyFigure(
                    "代表建议本年已交办（件）",
                    str(rates.handed),
                    f"答复率{_percent(rates.answered_rate)}，满意率{_percent(rates.satisfied_rate)}",
                ),
            ],
            sentences=[
                f"本年已交办代表建议{rates.handed}件，答复率{_percent(rates.answered_rate)}，"
                f"按时答复率{_percent(rates.on_time_rate)}，满意率{_percent(rates.satisfied_rate)}；"
                f"逾期未答复{rates.late}件。"
            ],
            headlines=[Headline("建议按时答复率", rates.on_time, rates.answered)],
            order=60,
        )
    ]
