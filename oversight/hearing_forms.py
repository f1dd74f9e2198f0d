"""Every input of the inquiry, interpellation and satisfaction pages."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ballots.models import CongressSession
from deputies.models import Deputy
from organisation.models import Unit
from oversight.hearing_models import Interpellation, Respondent, SatisfactionVote

DATE = forms.DateInput(attrs={"type": "date"})


class _Form(forms.Form):
    #: Which of a page's forms was posted.
    form = forms.CharField(widget=forms.HiddenInput)


class RespondentForm(_Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    name = forms.CharField(label=_("Who answers"), max_length=40)
    title = forms.CharField(label=_("Post"), max_length=60, help_text=_("e.g. 局长"))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, initial={"form": "respondent"}, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class QuestionForm(_Form):
    asker = forms.ModelChoiceField(label=_("Asked by"), queryset=Deputy.objects.none())
    respondent = forms.ModelChoiceField(label=_("Put to"), queryset=Respondent.objects.none())
    text = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    asked_on = forms.DateField(label=_("Asked on"), widget=DATE)

    def __init__(self, *args, askers, respondents, **kwargs):
        super().__init__(
            *args, initial={"form": "question", "asked_on": timezone.localdate()}, **kwargs
        )
        self.fields["asker"].queryset = askers  # type: ignore[attr-defined]
        self.fields["respondent"].queryset = respondents  # type: ignore[attr-defined]


class AnswerForm(_Form):
    question = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)
    answer = forms.CharField(
        label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=8000
    )
    answered_on = forms.DateField(label=_("Answered on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {
            "form": "answer",
            "answered_on": timezone.localdate(),
            **kwargs["initial"],
        }
        super().__init__(*args, **kwargs)


class CommitmentForm(_Form):
    question = forms.IntegerField(
        widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1, required=False
    )
    text = forms.CharField(
        label=_("Commitment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {})
        kwargs["initial"] = {"form": "commitment", **kwargs["initial"]}
        super().__init__(*args, **kwargs)


class MoveForm(_Form):
    setting = forms.ChoiceField(label=_("Moved"), choices=Interpellation.Setting.choices)
    moved_on = forms.DateField(
        label=_("Moved on"),
        widget=DATE,
        required=False,
        help_text=_("At a congress session: the session's day."),
    )
    session = forms.ModelChoiceField(
        label=_("Congress session"), queryset=CongressSession.objects.none(), required=False
    )
    unit = forms.ModelChoiceField(label=_("Body questioned"), queryset=Unit.objects.none())
    subject = forms.CharField(label=_("Subject"), max_length=200)
    text = forms.CharField(
        label=_("What is asked"), widget=forms.Textarea(attrs={"rows": 4}), max_length=8000
    )
    mode = forms.ChoiceField(label=_("How it is answered"), choices=Interpellation.Mode.choices)
    due_on = forms.DateField(label=_("Answer due"), widget=DATE, required=False)
    movers = forms.ModelMultipleChoiceField(
        label=_("Movers"),
        queryset=Deputy.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "At least 5 members of a city's standing committee, 3 of a county's, or 10 "
            "deputies at a congress session."
        ),
    )

    def __init__(self, *args, units, sessions, movers, **kwargs):
        super().__init__(*args, initial={"form": "move"}, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["movers"].queryset = movers  # type: ignore[attr-defined]


class VerdictsForm(_Form):
    """One satisfied / dissatisfied choice per mover (fields ``mover_<deputy id>``)."""

    def __init__(self, *args, movers, **kwargs):
        super().__init__(*args, initial={"form": "verdicts"}, **kwargs)
        for mover in movers:
            self.fields[f"mover_{mover.deputy_id}"] = forms.ChoiceField(
                label=mover.deputy.name,
                choices=[("yes", _("Satisfied")), ("no", _("Dissatisfied"))],
                widget=forms.RadioSelect,
            )

    def verdicts(self) -> dict[int, bool]:
        return {
            int(name.removeprefix("mover_")): value == "yes"
            for name, value in self.cleaned_data.items()
            if name.startswith("mover_")
        }


class SatisfactionPollForm(_Form):
    session = forms.ModelChoiceField(
        label=_("Session or meeting"),
        queryset=CongressSession.objects.none(),
        help_text=_(
            "A congress session: its deputies vote; a standing committee meeting: its members."
        ),
    )
    subject = forms.ChoiceField(label=_("What is rated"), choices=SatisfactionVote.Subject.choices)
    year = forms.IntegerField(label=_("Year rated"), min_value=2000, max_value=2100)
    units = forms.ModelMultipleChoiceField(
        label=_("Units rated"), queryset=Unit.objects.none(), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, sessions, units, **kwargs):
        initial = {"form": "poll", "year": timezone.localdate().year, "units": list(units)}
        super().__init__(*args, initial=initial, **kwargs)
        self.fields["session"].queryset = sessions  # type: ignore[attr-defined]
        self.fields["units"].queryset = units  # type: ignore[attr-defined]


class RankingFilter(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
