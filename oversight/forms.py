"""Every input of the oversight pages, the list filters too."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress_portal.calendar_words import QUARTERS
from deputies.models import Deputy
from organisation.congresses import CongressLevel
from organisation.models import Unit
from oversight.models import Case, Kind, Participant, PlanItem, VisitFinding

DATE = {"type": "date"}


def _date(label, *, required=True, initial_today=False):
    field = forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
    )
    if initial_today:
        field.initial = timezone.localdate
    return field


class IndexFilterForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)
    q = forms.CharField(label=_("Search"), required=False, max_length=60)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All kinds")), *Kind.choices]
        self.fields["state"].choices = [("", _("All states")), *Case.State.choices]


class CaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    lead_committee = forms.CharField(
        label=_("Lead committee"),
        max_length=60,
        help_text=_("e.g. 环境与资源保护工作委员会"),
    )
    plan_item = forms.ModelChoiceField(
        label=_("Plan item"), queryset=PlanItem.objects.none(), required=False
    )
    joint_levels = forms.MultipleChoiceField(
        label=_("Jointly with the congresses of"),
        choices=CongressLevel.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only a law-enforcement inspection is run jointly (三级联动)."),
    )
    target_units = forms.ModelMultipleChoiceField(
        label=_("Target units"),
        queryset=Unit.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    summary = forms.CharField(
        label=_("Summary"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=4000,
    )
    started_on = _date(_("Started on"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan_items, level: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["plan_item"].queryset = plan_items  # type: ignore[attr-defined]
        self.fields["joint_levels"].choices = [
            (value, label) for value, label in CongressLevel.choices if value != level
        ]


class StageForm(forms.Form):
    name = forms.CharField(label=_("Stage"), max_length=60, help_text=_("e.g. 实地检查"))
    planned_on = _date(_("Planned for"), required=False)


class StageDoneForm(forms.Form):
    on = _date(_("Done on"), initial_today=True)


class ParticipantForm(forms.Form):
    deputy = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    role = forms.ChoiceField(label=_("Role"), choices=Participant.Role.choices)

    def __init__(self, *args, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies  # type: ignore[attr-defined]


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=120)
    file = forms.FileField(label=_("File"))


class ProblemForm(forms.Form):
    title = forms.CharField(
        label=_("Problem"), max_length=200, widget=forms.Textarea(attrs={"rows": 2})
    )
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=Unit.objects.filter(is_active=True)
    )
    measures = forms.CharField(
        label=_("Rectification measures"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )
    due_on = _date(_("Deadline"), required=False)


class VisitForm(forms.Form):
    """二次暗访: one outcome per reported problem (left empty: not checked this time)."""

    date = _date(pgettext_lazy("visit", "Date of the visit"), initial_today=True)
    who = forms.CharField(label=_("Who went"), max_length=200)
    notes = forms.CharField(
        label=pgettext_lazy("visit", "Notes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args, problems, **kwargs):
        super().__init__(*args, **kwargs)
        self.problems = list(problems)
        choices = [("", _("Not checked")), *VisitFinding.Outcome.choices]
        for p in self.problems:
            self.fields[f"problem_{p.pk}"] = forms.ChoiceField(
                label=_("Outcome of the visit"), choices=choices, required=False
            )
            self.fields[f"remark_{p.pk}"] = forms.CharField(
                label=_("What was seen"), required=False, max_length=400
            )

    def outcomes(self) -> dict[int, str]:
        return {
            p.pk: self.cleaned_data[f"problem_{p.pk}"]
            for p in self.problems
            if self.cleaned_data.get(f"problem_{p.pk}")
        }

    def remarks(self) -> dict[int, str]:
        return {p.pk: self.cleaned_data.get(f"remark_{p.pk}", "") for p in self.problems}

    def rows(self):
        return [(p, self[f"problem_{p.pk}"], self[f"remark_{p.pk}"]) for p in self.problems]


class ReviewForm(forms.Form):
    """二次审议 at a standing-committee meeting."""

    on = _date(pgettext_lazy("meeting", "Date"), initial_today=True)
    meeting = forms.CharField(
        label=_("Meeting"), max_length=120, help_text=_("e.g. 市六届人大常委会第二十三次会议")
    )
    notes = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class VerifyForm(forms.Form):
    notes = forms.CharField(label=_("Verification notes"), required=False, max_length=400)
    version = forms.IntegerField(widget=forms.HiddenInput)


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is closed unresolved"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class OpinionForm(forms.Form):
    unit = forms.ModelChoiceField(
        label=_("Issued to"), queryset=Unit.objects.filter(is_active=True)
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(
        label=_("Review opinions"), widget=forms.Textarea(attrs={"rows": 5}), max_length=8000
    )
    issued_on = _date(_("Issued on"), initial_today=True)
    due_on = _date(_("Report-back deadline"))


class OpinionReviewForm(forms.Form):
    meeting = forms.CharField(label=_("Meeting"), max_length=120)
    date = _date(pgettext_lazy("meeting", "Date"), initial_today=True)
    accepted = forms.TypedChoiceField(
        label=_("The meeting"),
        choices=[("1", _("accepts the report-back")), ("0", _("asks for a further report"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    notes = forms.CharField(
        label=_("Conclusion"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput)


class PlanForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=120)


class PlanItemForm(forms.Form):
    quarter = forms.TypedChoiceField(label=_("Quarter"), choices=list(QUARTERS.items()), coerce=int)
    kind = forms.ChoiceField(label=_("Kind"), choices=Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=120)
    lead_committee = forms.CharField(label=_("Lead committee"), max_length=60)
