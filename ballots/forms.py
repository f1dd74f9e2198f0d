"""Every input of the ballot pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ballots.models import CongressSession, Poll
from deputies.models import Level
from organisation.models import Region

LEVEL_OF_REGION = {
    Region.Level.TOWNSHIP: Level.TOWNSHIP,
    Region.Level.COUNTY: Level.COUNTY,
    Region.Level.CITY: Level.CITY,
}


#: The ratings of a "rate" poll, as the ballot and the tally show them.
RATINGS = [
    ("satisfied", pgettext_lazy("rating", "Satisfied")),
    ("basic", pgettext_lazy("rating", "Basically satisfied")),
    ("unsatisfied", pgettext_lazy("rating", "Unsatisfied")),
    ("abstain", pgettext_lazy("rating", "Abstain")),
]


class SessionForm(forms.Form):
    name = forms.CharField(
        label=_("Name"), max_length=120, help_text=_("e.g. 黄茅园镇七届人大四次会议")
    )
    region = forms.ModelChoiceField(label=_("Congress of"), queryset=Region.objects.none())
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    body = forms.ChoiceField(
        label=_("Who votes"),
        choices=CongressSession.Body.choices,
        initial=CongressSession.Body.CONGRESS,
        required=False,
        help_text=_("A standing committee meeting's roll is its members on the day."),
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["body"].widget.choices = CongressSession.Body.choices  # no empty choice
        self.fields["region"].queryset = regions  # type: ignore[attr-defined]
        if regions.count() == 1:
            self.fields["region"].initial = regions.first()

    def clean_body(self) -> str:
        return self.cleaned_data.get("body") or CongressSession.Body.CONGRESS


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search deputies"), max_length=40, required=False)


class CheckInForm(forms.Form):
    STATES = [("present", _("Present")), ("leave", _("On leave")), ("none", _("Not checked in"))]
    deputy = forms.IntegerField(min_value=1)
    state = forms.ChoiceField(choices=STATES)
    q = forms.CharField(max_length=40, required=False)


class PollForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    method = forms.ChoiceField(label=_("How the deputies vote"), choices=Poll.Method.choices)
    slots = forms.IntegerField(label=_("Slots"), min_value=1, max_value=100, initial=1)
    options = forms.CharField(
        label=_("Options"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line."),
        max_length=10000,
    )

    def clean_options(self) -> list[tuple[str, str]]:
        lines = [line.strip() for line in self.cleaned_data["options"].splitlines()]
        labels = [line[:200] for line in lines if line]
        if not labels:
            raise forms.ValidationError(_("A vote needs at least one option."))
        if len(labels) > 100:
            raise forms.ValidationError(_("At most 100 options."))
        return [(f"line:{i}", label) for i, label in enumerate(labels, 1)]


class SlipsForm(forms.Form):
    spares = forms.IntegerField(
        label=_("Spare slips"), min_value=0, max_value=50, initial=3, required=False
    )


class TallyForm(forms.Form):
    """A teller's count of the paper ballots: the slips, then the votes per option."""

    issued = forms.IntegerField(label=_("Ballots issued"), min_value=0, max_value=100000)
    returned = forms.IntegerField(label=_("Ballots returned"), min_value=0, max_value=100000)
    invalid = forms.IntegerField(label=_("Invalid ballots"), min_value=0, max_value=100000)

    def __init__(self, *args, poll: Poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.rows: list[tuple[str, list[forms.BoundField]]] = []
        parts = (
            [("yes", _("For")), ("no", _("Against")), ("abstain", _("Abstain"))]
            if poll.method == Poll.Method.EACH
            else RATINGS
            if poll.method == Poll.Method.RATE
            else [("votes", _("Votes"))]
        )
        for i, option in enumerate(poll.options.all()):
            names = []
            for part, label in parts:
                name = f"o{i}_{part}"
                self.fields[name] = forms.IntegerField(
                    label=f"{option.label} · {label}", min_value=0, max_value=100000, initial=0
                )
                names.append(name)
            self.rows.append((option.key, names))

    @property
    def option_rows(self):
        return [(key, [self[name] for name in names]) for key, names in self.rows]

    def votes(self) -> dict[str, object]:
        data = self.cleaned_data
        votes: dict[str, object] = {}
        for key, names in self.rows:
            if self.poll.method in (Poll.Method.EACH, Poll.Method.RATE):
                votes[key] = {name.rsplit("_", 1)[1]: data[name] for name in names}
            else:
                votes[key] = data[names[0]]
        return votes


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Voting code"),
        max_length=30,
        help_text=_("The 10 characters printed on your slip, e.g. 7K3QD-M9XWA."),
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "data-vote-code": "",
                "class": "vote-code",
            }
        ),
    )


class BallotForm(forms.Form):
    """The ballot of one poll: for, against or abstain on each option, or choose."""

    code = forms.CharField(max_length=30, widget=forms.HiddenInput)

    def __init__(self, *args, poll: Poll, **kwargs):
        super().__init__(*args, **kwargs)
        self.poll = poll
        self.options = list(poll.options.all())
        if poll.method == Poll.Method.EACH:
            for i, option in enumerate(self.options):
                self.fields[f"o{i}"] = forms.ChoiceField(
                    label=option.label,
                    choices=[("yes", _("For")), ("no", _("Against")), ("abstain", _("Abstain"))],
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Vote for, against or abstain.")},
                )
        elif poll.method == Poll.Method.RATE:
            for i, option in enumerate(self.options):
                self.fields[f"o{i}"] = forms.ChoiceField(
                    label=option.label,
                    choices=RATINGS,
                    widget=forms.RadioSelect,
                    error_messages={"required": _("Rate this option or abstain.")},
                )
        else:
            self.fields["chosen"] = forms.MultipleChoiceField(
                label=_("Choose at most %(slots)s") % {"slots": poll.slots},
                choices=[(str(i), o.label) for i, o in enumerate(self.options)],
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )

    def choices(self) -> dict[str, str]:
        data = self.cleaned_data
        if self.poll.method in (Poll.Method.EACH, Poll.Method.RATE):
            return {o.key: data[f"o{i}"] for i, o in enumerate(self.options)}
        return {self.options[int(i)].key: "yes" for i in data["chosen"]}


class ReceiptForm(forms.Form):
    receipt = forms.CharField(label=_("Your receipt"), max_length=30)
