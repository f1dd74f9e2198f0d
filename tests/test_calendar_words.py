"""One formatting layer for months, quarters, weekdays and hours (issue 16), and 请选择…
in every select's empty choice."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from congress_portal import calendar_words as words
from organisation.models import Unit

NOVEMBER = dt.date(2026, 11, 1)


def render(text: str, **context) -> str:
    return Template("{% load calendar_words %}" + text).render(Context(context)).strip()


def test_the_words_in_chinese():
    with translation.override("zh-hans"):
        assert words.month_label(NOVEMBER) == "2026年11月"
        assert words.quarter_label(2026, 3) == "2026年第三季度"
        assert words.weekdays_label("3") == "每周三"
        assert words.weekdays_label("2,5") == "每周二、五"
        assert words.month_days_label("6,16,26") == "每月6日、16日、26日"
        assert words.hours_label(Decimal("3.5")) == "3.5小时"
        assert words.hours_label(Decimal("3.0")) == "3小时"


def test_the_words_in_english():
    with translation.override("en"):
        assert words.month_label(NOVEMBER) == "November 2026"
        assert words.quarter_label(2026, 3) == "Q3 2026"
        assert words.weekdays_label("3") == "Every Wednesday"
        assert words.weekdays_label([2, 5]) == "Every Tuesday, Friday"
        assert words.month_days_label("6,16,26") == "Days 6, 16, 26 of each month"
        assert words.hours_label(4) == "4 h"


def test_a_document_that_is_always_chinese_says_so_in_any_language():
    with translation.override("en"):
        assert words.month_label(NOVEMBER, language="zh-hans") == "2026年11月"
        assert words.quarter_label(2026, 4, language="zh-hans") == "2026年第四季度"
        assert translation.get_language() == "en"


def test_the_filters_say_the_same():
    template = (
        "{{ month|month_label }}|{{ year|quarter_label:q }}|{{ days|weekdays_label }}"
        "|{{ dates|month_days_label }}|{{ hours|hours_label }}|{{ none|hours_label }}"
    )
    values = {
        "month": NOVEMBER,
        "year": 2026,
        "q": 3,
        "days": "3",
        "dates": "6,16",
        "hours": Decimal("2.5"),
        "none": None,
    }
    with translation.override("zh-hans"):
        assert (
            render(template, **values) == "2026年11月|2026年第三季度|每周三|每月6日、16日|2.5小时|"
        )
    with translation.override("en"):
        assert render(template, **values) == (
            "November 2026|Q3 2026|Every Wednesday|Days 6, 16 of each month|2.5 h|"
        )


class Picker(forms.Form):
    unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)
    kind = forms.ChoiceField(choices=[("", "---------"), ("a", "A")], required=False)
    region = forms.ModelChoiceField(
        queryset=Unit.objects.none(), required=False, empty_label="All regions"
    )


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "请选择…"), ("en", "Choose…")])
def test_every_select_says_choose_instead_of_dashes(db, language, label):
    with translation.override(language):
        html = str(Picker())
    assert "---------" not in html
    assert html.count(f'<option value="" selected>{label}</option>') == 2
    assert '<option value="" selected>All regions</option>' in html
