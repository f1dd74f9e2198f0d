"""The inputs of the 督 and 评 pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from organisation.models import Unit


class InspectionForm(forms.Form):
    date = forms.DateField(
        label=pgettext_lazy("inspection", "Date of the visit"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies who took part"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=pgettext_lazy("inspection", "Notes"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies  # type: ignore[attr-defined]
        self.fields["date"].initial = timezone.localdate()


class FindingForm(forms.Form):
    text = forms.CharField(
        label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        help_text=_("The project's responsible unit when left empty."),
    )


class EvaluationForm(forms.Form):
    proposals = forms.MultipleChoiceField(
        label=_("Finished projects to evaluate"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.projects = {str(p.pk): p for p in projects}
        self.fields["proposals"].choices = [(k, p.title) for k, p in self.projects.items()]

    def picked(self):
        return [self.projects[k] for k in self.cleaned_data["proposals"]]
