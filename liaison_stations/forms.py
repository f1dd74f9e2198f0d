"""Every input of the station pages: filters, the rota, the quick duty-log form, the
handling of a reception and the public opinion form."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from django import forms
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress_portal.widgets import LongModelChoiceField
from deputies.models import Deputy
from liaison_stations.models import DutyShift, Reception, Station
from liaison_stations.services import (
    STATION_FIELDS,
    ReceptionInput,
    StationError,
    StationFields,
    reception_handling_check,
)
from organisation.models import Region, Unit

PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}$")


def clean_phone(value: str) -> str:
    value = value.strip()
    if value and not PHONE_RE.match(value):
        raise forms.ValidationError(_("Enter a phone number of digits only."))
    return value


def drop_single_choice(form: forms.Form, name: str) -> None:
    """Leave out a region filter that has nothing to choose from: a township secretary
    sees one region, and a select with one option only takes room on a phone."""
    if form.fields[name].queryset.count() <= 1:  # type: ignore[attr-defined]
        del form.fields[name]


def region_filter() -> LongModelChoiceField:
    """A region filter: a province's 2,900 regions read as values and written in Python
    (congress_portal/widgets.py); it validates as a ModelChoiceField."""
    return LongModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("All regions"),
        option_label=F("name"),
    )


class StationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=40)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *Station.Kind.choices]
    )
    region = region_filter()
    below_standard = forms.BooleanField(label=_("Below the 十有 standard only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.choices_for(user)
        drop_single_choice(self, "region")


class StationForm(forms.Form):
    """A station's details as its secretary keeps them. Code and region stay as they
    are: the code is printed on posters, and a region change would move the station out
    of its secretary's hands (the office does both in the admin)."""

    name = forms.CharField(label=_("Name"), max_length=80)
    kind = forms.ChoiceField(label=_("Type"), choices=Station.Kind.choices)
    address = forms.CharField(label=_("Address"), required=False, max_length=120)
    rule = forms.ChoiceField(label=_("Opening rule"), choices=Station.Rule.choices)
    rule_days = forms.CharField(
        label=_("Opening days"),
        max_length=60,
        help_text=_("Days of the month (6,16,26) or of the week (1 = Monday … 7 = Sunday)."),
    )
    opening_hours = forms.CharField(label=_("Opening hours"), max_length=40)
    deputies_per_shift = forms.IntegerField(
        label=_("Deputies per duty day"), min_value=1, max_value=10
    )
    contact_name = forms.CharField(label=_("Contact person"), required=False, max_length=40)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    deputies = forms.ModelMultipleChoiceField(
        label=_("Attached deputies"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, station: Station, user, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                **{name: getattr(station, name) for name in self.base_fields if name != "deputies"},
                "deputies": list(station.deputies.values_list("pk", flat=True)),
            },
        )
        super().__init__(*args, **kwargs)
        self.station = station
        # The deputies of the station's area (its region and what lies inside, and the
        # county-level ones of its county) that the editor may see, and those attached.
        area = Q(region__path__startswith=station.region.path)
        if station.region.parent_id:
            area |= Q(region_id=station.region.parent_id)
        self.fields["deputies"].queryset = (
            Deputy.objects.visible_to(user)
            .filter((area & Q(is_active=True)) | Q(stations=station))
            .distinct()
            .order_by("name", "pk")
        )

    def clean_contact_phone(self) -> str:
        return clean_phone(self.cleaned_data["contact_phone"])

    def station_fields(self) -> StationFields:
        """The station's fields as entered, for ``station_update``."""
        return StationFields(**{name: self.cleaned_data[name] for name in STATION_FIELDS})  # type: ignore[typeddict-item]

    def attached_deputies(self) -> list[Deputy]:
        """The deputies ticked, plus those attached that the editor cannot see (a county
        deputy kept by the office): leaving them off the form must not detach them."""
        chosen = list(self.cleaned_data["deputies"])
        offered = self.fields["deputies"].queryset.values("pk")
        return chosen + list(self.station.deputies.exclude(pk__in=offered))


class MonthForm(forms.Form):
    month = forms.RegexField(
        label=_("Month"),
        regex=r"^\d{4}-(0[1-9]|1[0-2])$",
        required=False,
        widget=forms.TextInput(attrs={"type": "month"}),
    )
    # A rota is kept for the years a station works; 0000-01 or 9999-12 are no months
    # a calendar can show (and the day before 0001-01-01 does not exist).
    YEARS = range(2000, 2101)

    def clean_month(self) -> str:
        value = self.cleaned_data["month"]
        if value and int(value[:4]) not in self.YEARS:
            raise forms.ValidationError(_("Choose a month between 2000 and 2100."))
        return value

    def year_month(self) -> tuple[int, int]:
        value = self.cleaned_data.get("month") if self.is_valid() else ""
        if value:
            year, month = value.split("-")
            return int(year), int(month)
        today = timezone.localdate()
        return today.year, today.month


class RatingForm(forms.Form):
    met = forms.BooleanField(label=_("Met"), required=False)
    rated_on = forms.DateField(label=_("Rated on"), widget=forms.DateInput(attrs={"type": "date"}))
    evidence = forms.ImageField(label=_("Evidence photo"), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class ShiftForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    deputies = forms.ModelMultipleChoiceField(
        label=_("Deputies on duty"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    is_cancelled = forms.BooleanField(label=_("Cancelled"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = station.deputies.order_by("name")


class SwapForm(forms.Form):
    shift = forms.ModelChoiceField(label=_("Duty day"), queryset=DutyShift.objects.none())
    deputy = forms.ModelChoiceField(
        label=_("Deputy giving it away"), queryset=Deputy.objects.none()
    )
    other_shift = forms.ModelChoiceField(
        label=_("Other duty day"), queryset=DutyShift.objects.none()
    )
    other_deputy = forms.ModelChoiceField(
        label=_("Deputy giving the other day away"), queryset=Deputy.objects.none()
    )

    def __init__(self, *args, station: Station, **kwargs):
        super().__init__(*args, **kwargs)
        shifts = station.shifts.filter(date__gte=timezone.localdate(), log__isnull=True).order_by(
            "date"
        )
        for name in ("shift", "other_shift"):
            self.fields[name].queryset = shifts
            self.fields[name].label_from_instance = lambda s: f"{s.date:%Y-%m-%d}"
        for name in ("deputy", "other_deputy"):
            self.fields[name].queryset = station.deputies.order_by("name")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.ImageField):
    """Several photos in one input (Django's documented pattern)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class DutyLogForm(forms.Form):
    attendees = forms.ModelMultipleChoiceField(
        label=_("Deputies who came"),
        queryset=Deputy.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    hours = forms.DecimalField(
        label=_("Hours"), min_value=0.5, max_value=24, decimal_places=1, initial=3
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    photos = MultiplePhotoField(label=_("Photos"), required=False)
    # The tokens of photos kept from a save that failed (services.duty_photos_hold).
    held_photos = forms.Field(required=False, widget=forms.MultipleHiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, shift: DutyShift, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = (
            Deputy.objects.filter(Q(stations=shift.station) | Q(duty_shifts=shift))
            .distinct()
            .order_by("name")
        )


UNIT_GROUPS = (
    (Region.Level.TOWNSHIP, _("Township units")),
    (Region.Level.COUNTY, _("County units")),
    (Region.Level.CITY, _("City units")),
)


def unit_choices(units: Iterable[Unit]) -> list[tuple[Any, Any]]:
    """The units to refer to, grouped by their region's level — 乡镇 / 县 / 市 — each group
    by name; a unit without a region is a city body (the committee's own offices)."""
    groups: dict[str, list[tuple[int, str]]] = {level: [] for level, _label in UNIT_GROUPS}
    for unit in units:
        level = unit.region.level if unit.region is not None else Region.Level.CITY
        groups[level].append((unit.pk, str(unit)))
    return [("", _("Choose…"))] + [
        (label, sorted(groups[level], key=lambda c: c[1]))
        for level, label in UNIT_GROUPS
        if groups[level]
    ]


def units_for(region: Region | None, keep: Unit | int | None = None) -> QuerySet[Unit]:
    """The active units a request received in ``region`` may be referred to: those of the
    regions above it and of the city (a township's county departments and congress, the
    city's departments and committee bodies), and those of the region and inside it (a
    township's government; a county's townships). About 35 for a township station of the
    demo city, of its 330 units. ``keep``: the unit the request is referred to already,
    offered even when it lies elsewhere."""
    units = Unit.objects.filter(is_active=True)
    if region is None:
        return units
    above = [code for code in region.path.split("/") if code]
    area = (
        Q(region__isnull=True) | Q(region__code__in=above) | Q(region__path__startswith=region.path)
    )
    if keep is not None:
        area |= Q(pk=getattr(keep, "pk", keep))
    return units.filter(area)


class UnitPicker(forms.ModelChoiceField):
    """The unit a request is referred to: a select grouped 乡镇 / 县 / 市, which
    ``static/js/unit-filter.js`` gives a search box (without script the select alone)."""

    def __init__(self, **kwargs):
        super().__init__(queryset=Unit.objects.filter(is_active=True), **kwargs)
        self.widget.attrs.update(
            {"data-unit-filter": "", "data-filter-label": _("Search the units")}
        )

    def grouped(self) -> None:
        self.widget.choices = unit_choices(self.queryset.select_related("region"))


class HandlingFields(forms.Form):
    """How a request was handled: the fields the duty-log row and the handling form share."""

    answer = forms.CharField(
        label=_("Answer given"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    referred_unit = UnitPicker(label=_("Referred to"), required=False)
    referral_due = forms.DateField(
        label=_("Referral deadline"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(
        self,
        *args,
        units: list[tuple[Any, Any]] | None = None,
        region: Region | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        # The units of the station's area (``units_for``), the one referred to already kept.
        self.fields["referred_unit"].queryset = units_for(  # type: ignore[attr-defined]
            region, keep=self.initial.get("referred_unit")
        )
        # The grouped choices are built once per page and shared by every row.
        if units is None:
            self.fields["referred_unit"].grouped()  # type: ignore[attr-defined]
        else:
            self.fields["referred_unit"].widget.choices = units

    def clean(self):
        data = super().clean()
        if "handling" in data:
            # The rule lives in the service; asked here only to put the message by its field.
            try:
                reception_handling_check(
                    handling=data["handling"],
                    answer=data.get("answer", ""),
                    referred_unit=data.get("referred_unit"),
                    referral_due=data.get("referral_due"),
                )
            except StationError as error:
                self.add_error(error.field, str(error))
        return data


class ReceptionRowForm(HandlingFields):
    """One constituent received, as a row of the duty-log form."""

    channel = forms.ChoiceField(
        label=_("Channel"), choices=Reception.Channel.choices, initial=Reception.Channel.STATION
    )
    visitor_name = forms.CharField(label=_("Name (optional)"), required=False, max_length=40)
    visitor_phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    village = forms.CharField(label=_("Village or community"), required=False, max_length=40)
    # No category is chosen for the secretary: a preselected one is saved unread.
    category = forms.ChoiceField(
        label=_("Category"), choices=[("", _("Choose…")), *Reception.Category.choices]
    )
    content = forms.CharField(label=_("Request"), widget=forms.Textarea(attrs={"rows": 2}))
    # One tap each; the answer box, or the unit and deadline, show for the one chosen
    # (static/css/duty-log.css; without :has() every field shows).
    handling = forms.ChoiceField(
        label=_("Handling"),
        widget=forms.RadioSelect(attrs={"class": "handling-choice"}),
        choices=[
            (Reception.Handling.ANSWERED, Reception.Handling.ANSWERED.label),
            (Reception.Handling.REFERRED, Reception.Handling.REFERRED.label),
            (Reception.Handling.PENDING, Reception.Handling.PENDING.label),
        ],
    )
    field_order = [
        "channel",
        "visitor_name",
        "visitor_phone",
        "village",
        "category",
        "content",
        "handling",
        "answer",
        "referred_unit",
        "referral_due",
    ]

    def clean_visitor_phone(self) -> str:
        return clean_phone(self.cleaned_data["visitor_phone"])

    def clean(self):
        data = super().clean()
        # A new referral is handed over today (handover_create refuses an earlier
        # deadline); said here so the message stands beside this row's deadline.
        due = data.get("referral_due")
        if (
            data.get("handling") == Reception.Handling.REFERRED
            and due
            and due < timezone.localdate()
        ):
            self.add_error("referral_due", _("The deadline cannot be before today."))
        return data

    def to_input(self) -> ReceptionInput:
        d = self.cleaned_data
        return ReceptionInput(
            channel=d["channel"],
            category=d["category"],
            content=d["content"],
            visitor_name=d["visitor_name"],
            visitor_phone=d["visitor_phone"],
            village=d["village"],
            handling=d["handling"],
            answer=d["answer"],
            referred_unit=d["referred_unit"],
            referral_due=d["referral_due"],
        )


class BaseReceptionFormSet(forms.BaseFormSet):
    """The rows share one list of grouped units, read once for the page: those of the
    station's ``region`` (``units_for``)."""

    def __init__(self, *args, region: Region | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.region = region
        self.units = unit_choices(units_for(region).select_related("region"))

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "units": self.units, "region": self.region}


ReceptionFormSet = forms.formset_factory(
    ReceptionRowForm, formset=BaseReceptionFormSet, extra=0, max_num=30, validate_max=True
)


class ReceptionRowRequestForm(forms.Form):
    """``?row=N`` of the duty-log page's "Add a constituent" button: the index of the
    empty reception row to send, one of the formset's places."""

    row = forms.IntegerField(
        label=_("Row"),
        min_value=0,
        max_value=ReceptionFormSet.max_num - 1,
        error_messages={
            "invalid": _("The row must be a whole number."),
            "min_value": _("The row must be at least %(limit_value)s."),
            "max_value": _(
                "The form holds no more constituents (the last row is %(limit_value)s)."
            ),
        },
    )


class ReceptionHandleForm(HandlingFields):
    handling = forms.ChoiceField(label=_("Handling"), choices=Reception.Handling.choices)
    result = forms.CharField(
        label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    feedback = forms.CharField(
        label=_("Feedback from the constituent"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    close = forms.BooleanField(label=_("Closed"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)
    field_order = [
        "handling",
        "answer",
        "referred_unit",
        "referral_due",
        "result",
        "feedback",
        "close",
    ]


class ReceptionFilterForm(forms.Form):
    STATUS = [("", _("Open and closed")), ("open", _("Open")), ("closed", _("Closed"))]
    # A province's 6,400 stations: options read as values and written in Python
    # (congress_portal/widgets.py); it validates as a ModelChoiceField.
    station = LongModelChoiceField(
        label=_("Station"),
        required=False,
        queryset=Station.objects.none(),
        to_field_name="code",
        empty_label=_("All stations"),
        option_label=F("name"),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=STATUS)
    handling = forms.ChoiceField(
        label=_("Handling"), required=False, choices=[("", _("Any")), *Reception.Handling.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("Any")), *Reception.Channel.choices]
    )
    category = forms.ChoiceField(
        label=_("Category"), required=False, choices=[("", _("Any")), *Reception.Category.choices]
    )

    def __init__(self, *args, stations: QuerySet[Station], **kwargs):
        super().__init__(*args, **kwargs)
        # By name, the stations the person has receptions of (a URL may still say ?station=CODE).
        self.fields["station"].queryset = stations.order_by("name")


class StatsForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    region = region_filter()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.choices_for(user)
        drop_single_choice(self, "region")

    def range(self) -> tuple[dt.date, dt.date]:
        year = self.cleaned_data.get("year") or timezone.localdate().year
        return dt.date(year, 1, 1), dt.date(year + 1, 1, 1)


class AttendanceForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    region = region_filter()
    never_came = forms.BooleanField(
        label=_("Only stations with a deputy who never came"), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.choices_for(user)
        drop_single_choice(self, "region")


class OpinionForm(forms.Form):
    """The public opinion form. ``website`` is a honeypot: hidden from people, filled by
    bots that fill every field."""

    content = forms.CharField(
        label=_("Your opinion or request"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    category = forms.ChoiceField(
        label=_("Topic"), choices=Reception.Category.choices, initial=Reception.Category.OTHER
    )
    name = forms.CharField(label=_("Name (optional)"), required=False, max_length=40)
    phone = forms.CharField(
        label=_("Phone (optional)"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    village = forms.CharField(
        label=_("Village or community (optional)"), required=False, max_length=40
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the congress may use the personal data I give here to handle my request."
        ),
    )
    # A new id each time the page shows the form (see public_opinion_submit).
    submission = forms.CharField(widget=forms.HiddenInput, required=False, max_length=32)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean_content(self) -> str:
        content = self.cleaned_data["content"].strip()
        if len(content) < 5:
            raise forms.ValidationError(_("Please describe your request in a few words."))
        return content

    @property
    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website"), "").strip())
