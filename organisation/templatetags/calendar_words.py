"""``{% load calendar_words %}``: the words of :mod:`congress_portal.calendar_words` as
filters, so a template never spells 年, 月 or Q itself.

``{{ report.month|month_label }}`` · ``{{ year|quarter_label:quarter }}`` ·
``{{ station.rule_days|weekdays_label }}`` · ``{{ station.rule_days|month_days_label }}``
· ``{{ log.hours|hours_label }}``
"""

from __future__ import annotations

from django import template

from congress_portal import calendar_words

register = template.Library()


@register.filter
def month_label(value) -> str:
    return calendar_words.month_label(value) if value else ""


@register.filter
def quarter_label(year, quarter) -> str:
    return calendar_words.quarter_label(int(year), int(quarter))


@register.filter
def weekdays_label(days) -> str:
    return calendar_words.weekdays_label(days)


@register.filter
def month_days_label(days) -> str:
    return calendar_words.month_days_label(days)


@register.filter
def hours_label(hours) -> str:
    return "" if hours in (None, "") else calendar_words.hours_label(hours)
