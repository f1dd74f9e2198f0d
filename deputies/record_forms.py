"""Inputs of the performance record pages: the year, the ranking's filters, an entry
recorded by hand, the reports-to-voters plan and a report held."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from deputies.models import Activity, Level
from organisation.models import Region

FIRST_YEAR = 2000


def year_choices() -> list[tuple[int, int]]:
    this = timezone.localdate().year
    return [(y, y) for y in range(this, this - 6, -1)]


class YearField(forms.TypedChoiceField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("Year"), coerce=int, choices=year_choices, required=False, **kwargs
        )


class YearForm(forms.Form):
    year = YearField()

    def chosen_year(self) -> int:
        return (self.cleaned_data.get("year") if self.is_bound else None) or (
            timezone.localdate().year
        )


class RankingForm(forms.Form):
    year = YearField()
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("The whole area I see"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.choices_for(user)


class ActivityEntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(k, Activity.Kind(k).label) for k in Activity.MANUAL_KINDS],
    )
    date = forms.DateField(
        label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    title = forms.CharField(label=_("What it was"), max_length=120)
    hours = forms.DecimalField(
        label=_("Hours"), required=False, min_value=0, max_value=999, decimal_places=1
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label=_("Evidence"),
        help_text=_("The notice, the sign-in sheet or a photo (PDF, Word, JPEG or PNG)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png,.doc,.docx"}),
    )


class VoterPlanFilterForm(forms.Form):
    year = YearField()
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("The whole area I see"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.choices_for(user)


class VoterPlanAddForm(forms.Form):
    """Name a deputy in this year's plan: one of the seats not yet reported this term."""

    seat = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class VoterReportForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, max_value=2**31 - 1)
    held_on = forms.DateField(
        label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    meeting = forms.CharField(
        label=_("Meeting"), max_length=120, help_text=_("e.g. 黄茅园镇人大代表述职评议会（龙潭村）")
    )
    text = forms.CharField(label=_("Text of the report"), widget=forms.Textarea(attrs={"rows": 6}))
    voters_present = forms.IntegerField(label=_("Voters present"), min_value=1, max_value=100000)
    satisfied = forms.IntegerField(label=_("Satisfied"), min_value=0, max_value=100000)
    basic = forms.IntegerField(label=_("Basically satisfied"), min_value=0, max_value=100000)
    unsatisfied = forms.IntegerField(label=_("Unsatisfied"), min_value=0, max_value=100000)
