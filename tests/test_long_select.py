"""The select of thousands of options (the inbox's units and regions at province scale)
writes what the portal's select template writes, read from values rather than
instances."""

import pytest
from django import forms
from django.db.models import F, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import translation

from congress_portal.widgets import LongModelChoiceField, LongSelect
from organisation.models import Region, Unit

CHOICES = [
    ("", "---------"),
    ("a&b", '<A> & "B"'),
    ("Group", [("1", "one"), ("2", "two")]),
    (3, "三"),
]


@pytest.mark.parametrize("value", [None, "", "a&b", "2", 3, ["x"]])
def test_long_select_writes_what_the_template_writes(value):
    attrs = {"id": "id_x", "aria-describedby": "h&i", "required": True, "disabled": False}
    with translation.override("zh-hans"):
        slow = forms.Select(choices=CHOICES).render("x", value, attrs=attrs)
        fast = LongSelect(choices=CHOICES).render("x", value, attrs=attrs)
    assert fast == slow


def unit_label():
    return Coalesce(NullIf("short_name", Value("")), "name")


class UnitForm(forms.Form):
    plain = forms.ModelChoiceField(queryset=Unit.objects.order_by("name"), empty_label="全部")
    long = LongModelChoiceField(
        queryset=Unit.objects.order_by("name"), option_label=unit_label(), empty_label="全部"
    )
    region = forms.ModelChoiceField(
        queryset=Region.objects.order_by("path"), to_field_name="code", required=False
    )
    long_region = LongModelChoiceField(
        queryset=Region.objects.order_by("path"),
        to_field_name="code",
        option_label=F("name"),
        required=False,
    )


@pytest.mark.django_db
def test_long_model_choice_field_offers_and_cleans_as_a_model_choice_field(world):
    unit = Unit.objects.exclude(short_name="").first() or Unit.objects.first()
    region = Region.objects.order_by("path").last()
    data = {"plain": unit.pk, "long": unit.pk, "region": region.code, "long_region": region.code}
    for form in (UnitForm(), UnitForm(data)):
        html = {
            name: str(form[name]).replace(f'"id_{name}"', "ID").replace(f'"{name}"', "N")
            for name in form.fields
        }
        assert html["long"] == html["plain"]
        assert html["long_region"] == html["region"]
    form = UnitForm(data)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["long"] == unit
    assert form.cleaned_data["long_region"] == region
    assert not UnitForm({**data, "long": 10**9}).is_valid()
