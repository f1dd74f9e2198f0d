"""Months, quarters, weekdays and hours as people read them, in the active language.

One place for the words of the calendar, so a page, a notice and the monthly PDF say
2026年11月, 2026年第三季度, 每周三 and 3.5小时 alike (November 2026, Q3 2026, Every
Wednesday, 3.5 h in English). Templates use the same functions as filters
(``{% load calendar_words %}``, in ``organisation/templatetags``). A document that is
always Chinese passes ``language="zh-hans"``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext, pgettext_lazy

QUARTERS = {
    1: pgettext_lazy("quarter", "Q1"),
    2: pgettext_lazy("quarter", "Q2"),
    3: pgettext_lazy("quarter", "Q3"),
    4: pgettext_lazy("quarter", "Q4"),
}

# ISO weekdays, as they follow "every" (每周三: the Chinese keeps only the numeral).
WEEKDAYS = {
    1: pgettext_lazy("after every", "Monday"),
    2: pgettext_lazy("after every", "Tuesday"),
    3: pgettext_lazy("after every", "Wednesday"),
    4: pgettext_lazy("after every", "Thursday"),
    5: pgettext_lazy("after every", "Friday"),
    6: pgettext_lazy("after every", "Saturday"),
    7: pgettext_lazy("after every", "Sunday"),
}


def _in(language: str | None, words: Callable[[], str]) -> str:
    if language is None:
        return words()
    with translation.override(language):
        return words()


def _numbers(days: str | list[int]) -> list[int]:
    """``"6,16,26"`` or ``[6, 16, 26]`` as numbers; anything else in the text is skipped."""
    if isinstance(days, str):
        days = [int(part) for part in days.replace("，", ",").split(",") if part.strip().isdigit()]
    return list(days)


def _listing(items: list[str]) -> str:
    return pgettext("between the items of a short list", ", ").join(items)


def month_label(value: dt.date, *, language: str | None = None) -> str:
    """2026年11月 · November 2026."""
    return _in(language, lambda: date_format(value, "YEAR_MONTH_FORMAT"))


def quarter_label(year: int, quarter: int, *, language: str | None = None) -> str:
    """2026年第三季度 · Q3 2026."""
    return _in(
        language,
        lambda: (
            _("%(quarter)s %(year)s")
            % {"year": year, "quarter": QUARTERS.get(int(quarter), quarter)}
        ),
    )


def weekdays_label(days: str | list[int], *, language: str | None = None) -> str:
    """ISO weekdays (1 = Monday): 每周三, 每周二、五 · Every Wednesday, Every Tuesday, Friday."""

    def words() -> str:
        names = [str(WEEKDAYS[d]) for d in _numbers(days) if d in WEEKDAYS]
        return pgettext("weekly", "Every %(days)s") % {"days": _listing(names)}

    return _in(language, words)


def month_days_label(days: str | list[int], *, language: str | None = None) -> str:
    """Days of the month: 每月6日、16日、26日 · Days 6, 16, 26 of each month."""

    def words() -> str:
        named = [pgettext("day of the month", "%(day)s") % {"day": d} for d in _numbers(days)]
        return _("Days %(days)s of each month") % {"days": _listing(named)}

    return _in(language, words)


def hours_label(hours: Decimal | float | int, *, language: str | None = None) -> str:
    """3.5小时 · 3.5 h (3, not 3.0)."""
    number = Decimal(str(hours)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return _in(language, lambda: _("%(hours)s h") % {"hours": number})
