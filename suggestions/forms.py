"""Every input of the suggestion pages: the list's filters, the deputy's form, the
secretary's draft from a reception, the intake and the hand-over."""

from __future__ import annotations

import re

from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from congress_portal.widgets import LongModelChoiceField
from deputies.models import Deputy, Mandate
from handovers.models import Handover
from liaison_stations.forms import UnitPicker, unit_choices
from organisation.access import has_role
from organisation.models import Region, Unit, User
from organisation.roles import REGION_READERS, Role
from suggestions.models import Category, Level, Suggestion

NAMES_SPLIT = re.compile(r"[\s,，、;；]+")


def congress_label(mandate: Mandate) -> str:
    return f"{mandate.region.name} · {Level(mandate.level).label}"


def congress_key(level: str, region_id: int) -> str:
    return f"{level}:{region_id}"


class SessionMixin(forms.Form):
    session = forms.CharField(
        label=_("Raised at"),
        required=False,
        max_length=60,
        help_text=_(
            "The session, e.g. 黄茅园镇七届人大四次会议; leave empty for between sessions."
        ),
    )


class SuggestionForm(SessionMixin):
    """What a deputy types on a phone."""

    congress = forms.ChoiceField(label=_("Congress"))
    title = forms.CharField(label=_("Title"), max_length=120)
    content = forms.CharField(
        label=pgettext_lazy("suggestion", "Content"), widget=forms.Textarea(attrs={"rows": 8})
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "---------"), *Category.choices]
    )
    co_signers = forms.CharField(
        label=_("Co-signing deputies"),
        required=False,
        max_length=400,
        help_text=_("Their names, separated by 、 or spaces; each confirms on their own phone."),
    )
    field_order = ["congress", "title", "content", "category", "session", "co_signers"]

    def __init__(self, *args, mandates: QuerySet[Mandate], **kwargs):
        super().__init__(*args, **kwargs)
        self.seats = {congress_key(m.level, m.region_id): m for m in mandates}
        self.fields["congress"].choices = [
            (key, congress_label(m)) for key, m in self.seats.items()
        ]
        if len(self.seats) == 1:
            self.fields["congress"].initial = next(iter(self.seats))

    def clean(self):
        data = super().clean()
        mandate = self.seats.get(data.get("congress", ""))
        if mandate is not None:
            data["level"], data["region"] = mandate.level, mandate.region
            names = [n for n in NAMES_SPLIT.split(data.get("co_signers", "")) if n]
            found: list[Deputy] = []
            for name in dict.fromkeys(names):
                matches = list(
                    Deputy.objects.filter(
                        name=name,
                        is_active=True,
                        mandates__level=mandate.level,
                        mandates__region=mandate.region_id,
                        mandates__ended_on__isnull=True,
                    )[:2]
                )
                if len(matches) != 1:
                    self.add_error(
                        "co_signers",
                        _("%(name)s: no single deputy of this congress has this name.")
                        % {"name": name},
                    )
                else:
                    found.append(matches[0])
            data["co_signer_list"] = found
        return data


class DraftForm(SessionMixin):
    """A secretary's draft from a reception: for which deputy and congress."""

    lead = forms.ModelChoiceField(label=_("Deputy"), queryset=Deputy.objects.none())
    congress = forms.ChoiceField(label=_("Congress"))
    title = forms.CharField(label=_("Title"), max_length=120)
    content = forms.CharField(
        label=pgettext_lazy("suggestion", "Content"), widget=forms.Textarea(attrs={"rows": 8})
    )
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", "---------"), *Category.choices]
    )
    field_order = ["lead", "congress", "title", "content", "category", "session"]

    def __init__(self, *args, region: Region, deputies: QuerySet[Deputy], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = deputies
        # The township's congress, its county's and the city's.
        codes = region.path.strip("/").split("/")
        regions = {r.code: r for r in Region.objects.filter(code__in=codes)}
        self.congresses: dict[str, tuple[str, Region]] = {}
        for code in reversed(codes):
            place = regions.get(code)
            if place is None:
                continue
            level = {
                Region.Level.TOWNSHIP: Level.TOWNSHIP,
                Region.Level.COUNTY: Level.COUNTY,
                Region.Level.CITY: Level.CITY,
            }[Region.Level(place.level)]
            self.congresses[congress_key(level, place.pk)] = (level, place)
        self.fields["congress"].choices = [
            (key, f"{place.name} · {Level(level).label}")
            for key, (level, place) in self.congresses.items()
        ]

    def clean(self):
        data = super().clean()
        chosen = self.congresses.get(data.get("congress", ""))
        if chosen is not None:
            data["level"], data["region"] = chosen
        return data


class IntakeForm(forms.Form):
    action = forms.ChoiceField(
        label=pgettext_lazy("suggestion", "Decision"),
        choices=[
            ("accept", pgettext_lazy("suggestion", "Accept")),
            ("merge", _("Merge into another")),
            ("convert", _("Turn into a letter or an opinion")),
        ],
        widget=forms.RadioSelect,
    )
    into = forms.ModelChoiceField(
        label=_("Merge into"), required=False, queryset=Suggestion.objects.none()
    )
    converted_to = forms.ChoiceField(
        label=_("Turn into"),
        required=False,
        choices=[("", "---------"), *Suggestion.ConvertedTo.choices],
    )
    reason = forms.CharField(
        label=_("Reason the deputy sees"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, targets: QuerySet[Suggestion], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = targets
        self.fields["into"].label_from_instance = lambda s: f"第{s.number}号 {s.title}"


class HandOverForm(forms.Form):
    # Grouped 乡镇 / 县 / 市 with a search box (static/js/unit-filter.js), as a referral's.
    unit = UnitPicker(label=_("Main unit"))
    helping_units = forms.ModelMultipleChoiceField(
        label=_("Helping units"),
        required=False,
        queryset=Unit.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due_on = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Three months after the hand-over when left empty; six at most."),
    )
    is_key = forms.BooleanField(label=_("Key suggestion 重点督办"), required=False)
    leader = forms.ModelChoiceField(
        label=_("Lead leader"), required=False, queryset=User.objects.none()
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
        self.fields["unit"].grouped()  # type: ignore[attr-defined]  # a UnitPicker
        self.fields["helping_units"].queryset = units
        self.fields["helping_units"].widget.choices = unit_choices(units)[1:]
        self.fields["leader"].queryset = User.objects.filter(
            role=Role.LEADER, is_active=True
        ).order_by("full_name", "pk")


class FilterForm(forms.Form):
    # A province's 2,900 regions and 4,400 units: options read as values and written
    # in Python (congress_portal/widgets.py); they validate as ModelChoiceFields.
    region = LongModelChoiceField(
        label=_("Congress region"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("All regions"),
        option_label=F("name"),
    )
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses")), *Suggestion.Status.choices],
    )
    answer_class = forms.ChoiceField(
        label=_("Result class"),
        required=False,
        choices=[("", _("All classes")), *Handover.AnswerClass.choices],
    )
    unit = LongModelChoiceField(
        label=_("Unit"),
        required=False,
        queryset=Unit.objects.none(),
        empty_label=_("All units"),
        option_label=Unit.label(),
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    late = forms.BooleanField(label=_("Late only"), required=False)

    def __init__(self, *args, user, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user)
        self.fields["unit"].queryset = units
        if not has_role(user, REGION_READERS):
            del self.fields["region"]
            del self.fields["unit"]

    def apply(self, suggestions: QuerySet[Suggestion]) -> QuerySet[Suggestion]:
        data = self.cleaned_data
        if data.get("region"):
            suggestions = suggestions.filter(region__path__startswith=data["region"].path)
        if data.get("level"):
            suggestions = suggestions.filter(level=data["level"])
        if data.get("status"):
            suggestions = suggestions.filter(status=data["status"])
        if data.get("answer_class"):
            suggestions = suggestions.filter(handover__answer_class=data["answer_class"])
        if data.get("unit"):
            suggestions = suggestions.filter(handover__unit=data["unit"])
        if data.get("year"):
            suggestions = suggestions.filter(year=data["year"])
        if data.get("late"):
            # Still with the unit past the deadline, or answered after it.
            suggestions = suggestions.filter(
                Q(handover__state__in=Handover.WITH_UNIT, handover__due_on__lt=timezone.localdate())
                | Q(handover__answered_on__gt=F("handover__due_on"))
            )
        return suggestions
