from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.services import previous_month


class MonthField(forms.DateField):
    """A month as YYYY-MM (the browser's month picker); cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = ["%Y-%m"]

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace(day=1) if value else value


class GenerateForm(forms.Form):
    month = MonthField(label=_("Month"))
    # The explicit, secondary "make it again" of a month that has its report already.
    regenerate = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["month"].initial = previous_month(timezone.localdate())

    def clean_month(self) -> dt.date:
        month = self.cleaned_data["month"]
        if month > timezone.localdate().replace(day=1):
            raise forms.ValidationError(_("Choose a month that has begun."))
        if month.year < 2000:
            raise forms.ValidationError(_("Choose a month from 2000 on."))
        return month
