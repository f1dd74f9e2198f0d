"""Every input of the inbox and of a handover's page: the GET filters and one form per
step. The rules (who may, in which state, what is missing) live in ``services``; a
form only reads the input and shows what the service says."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from congress_portal.widgets import LongModelChoiceField
from handovers.kinds import registered
from handovers.models import Assist, Colour, Handover
from organisation.models import Region, Unit

TEXT_MAX = 5000
FILES_HELP = _("PDF, JPEG, PNG, Word or Excel; at most 10 MB each.")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); type and size are checked
    by ``congress_portal.uploads.upload_check`` in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Evidence files"))
        kwargs.setdefault("help_text", FILES_HELP)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"


# --- The inbox's filters ---------------------------------------------------------------------

OPEN = ""
ALL = "all"


class InboxFilterForm(forms.Form):
    """GET filters of /inbox/. The office (and a secretary, for their region) also picks a
    unit and a region; a unit contact sees their unit's work only."""

    STATES = [
        (OPEN, _("Open")),
        *Handover.State.choices,
        (ALL, _("All states")),
    ]
    COLOURS = [
        ("", _("All colours")),
        (Colour.RED, _("Overdue (red)")),
        (Colour.YELLOW, _("Due soon (yellow)")),
        (Colour.GREEN, _("On time (green)")),
        (Colour.NONE, _("With the office or closed")),
    ]

    q = forms.CharField(label=_("Title"), required=False, max_length=60)
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    colour = forms.ChoiceField(label=_("Colour"), required=False, choices=COLOURS)
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATES)
    # A province's thousands of units and regions: options read as values and written
    # in Python (congress_portal.widgets).
    unit = LongModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.none(),
        option_label=Unit.label(),
        empty_label=_("All units"),
    )
    region = LongModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        option_label=F("name"),  # Region.__str__
        empty_label=_("All regions"),
    )

    def __init__(self, *args, office: bool, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [
            ("", _("All kinds")),
            *((kind.name, kind.label) for kind in registered()),
        ]
        if office:
            units = Unit.objects.order_by("kind", "name")
            if not user.sees_everything:
                # A city's office, a secretary: the units whose work they see (a
                # secretary's include the county's units their referrals went to), not
                # the province's every unit.
                seen = Handover.objects.visible_to(user).order_by()
                helping = Assist.objects.filter(handover__in=seen.values("pk"))
                units = units.filter(
                    Q(pk__in=seen.values("unit")) | Q(pk__in=helping.values("unit"))
                )
            self.fields["unit"].queryset = units  # type: ignore[attr-defined]
            regions = Region.objects.choices_for(user).order_by("path")
            if regions.count() > 1:
                self.fields["region"].queryset = regions  # type: ignore[attr-defined]
            else:
                del self.fields["region"]
        else:
            del self.fields["unit"]
            del self.fields["region"]

    def clean_kind(self) -> str:
        # A kind no module registers any longer may still name old handovers.
        return self.cleaned_data.get("kind") or ""


# --- The steps -------------------------------------------------------------------------------


class _Versioned(forms.Form):
    """Carries the version of the handover the person opened (409 when it moved on)."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1, max_value=2**31 - 1)


class AnswerForm(_Versioned):
    text = forms.CharField(
        label=_("Answer"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    answer_class = forms.ChoiceField(
        label=_("Result class"),
        required=False,
        choices=Handover.AnswerClass.choices,
        widget=forms.RadioSelect,
    )
    files = MultipleFileField()

    def __init__(self, *args, answer_classes: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not answer_classes:
            del self.fields["answer_class"]


class OpinionForm(forms.Form):
    opinion = forms.CharField(
        label=_("Your unit's opinion"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    files = MultipleFileField()


class VerifyForm(_Versioned):
    accept = forms.ChoiceField(
        label=_("Decision"),
        choices=[("yes", _("Accept the answer and close")), ("no", _("Send it back"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed when the answer is sent back; the unit reads it."),
    )

    def __init__(self, *args, final: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.final = final
        if final:
            # The second answer is final: it is accepted, never sent back a second time.
            self.fields["accept"].widget = forms.HiddenInput()
            self.fields["accept"].initial = "yes"
            self.fields["reason"].label = _("Remarks")
            self.fields["reason"].help_text = _("Optional; the unit reads it.")

    def clean(self):
        cleaned = super().clean()
        if self.final and cleaned.get("accept") == "no":
            # Said above the form: the decision is a hidden input here.
            raise forms.ValidationError(
                _("It has already been re-handled once: the second answer is final.")
            )
        return cleaned


class RateForm(_Versioned):
    rating = forms.ChoiceField(
        label=_("Your rating"),
        required=False,
        choices=Handover.Rating.choices,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Your comment on the answer"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtendForm(_Versioned):
    due_on = forms.DateField(label=_("New deadline"), widget=DateInput)
    reason = forms.CharField(
        label=_("Reason for the extension"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, after=None, limit=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The date picker offers the days the service accepts: after the current
        # deadline, up to the kind's limit.
        attrs = self.fields["due_on"].widget.attrs
        if after is not None:
            attrs["min"] = (after + dt.timedelta(days=1)).isoformat()
        if limit is not None:
            attrs["max"] = limit.isoformat()
            self.fields["due_on"].help_text = _("At the latest %(limit)s.") % {
                "limit": date_format(limit, "DATE_FORMAT")
            }


class CloseForm(_Versioned):
    pass


class SolvedForm(forms.Form):
    text = forms.CharField(
        label=_("How it was solved"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    files = MultipleFileField()
