"""Every input of the deputies pages, GET filters included."""

from __future__ import annotations

import re

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from congress_portal.widgets import LongModelChoiceField
from deputies.models import Deputy, Level, ProfessionalGroup
from deputies.services import DeputyFields
from deputies.station_directory import stations
from organisation.models import Region


class DeputyFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=40)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices]
    )
    # A province's 2,900 regions and 6,400 stations: options read as values and written
    # in Python (congress_portal/widgets.py); they validate as ModelChoiceFields.
    region = LongModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("All regions"),
        option_label=F("name"),
    )
    group = forms.ModelChoiceField(
        label=_("Professional group"),
        required=False,
        queryset=ProfessionalGroup.objects.all(),
        empty_label=_("All groups"),
    )
    station = LongModelChoiceField(
        label=_("Station"),
        required=False,
        queryset=None,
        to_field_name="code",
        empty_label=_("All stations"),
        option_label=F("name"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.choices_for(user)
        self.fields["station"].queryset = stations().station_choices(user)


# A county's whole registry is well under 1 MB as .xlsx; anything far larger is a mistake.
MAX_IMPORT_BYTES = 5 * 2**20


class DeputyImportForm(forms.Form):
    file = forms.FileField(
        label=_("Workbook (.xlsx)"),
        help_text=_("Use the template's columns; nothing is saved unless every row is valid."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Choose an .xlsx file."))
        if file.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(
                _("The workbook is larger than %(mb)s MB.") % {"mb": MAX_IMPORT_BYTES // 2**20}
            )
        return file


PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{5,18}$")
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP"}
PHOTO_MAX_BYTES = 5 * 1024 * 1024


class DeputyForm(forms.Form):
    """A deputy's record as the office or the region's secretary keeps it. The region
    stays as it is: moving a record out of the secretary's region is the office's
    business, in the admin."""

    name = forms.CharField(label=_("Name"), max_length=40)
    gender = forms.ChoiceField(label=_("Gender"), choices=Deputy.Gender.choices)
    ethnicity = forms.CharField(label=_("Ethnicity"), max_length=20)
    birth_year = forms.IntegerField(label=_("Birth year"), required=False)
    party = forms.CharField(label=_("Party"), required=False, max_length=30)
    occupation = forms.CharField(label=_("Occupation"), required=False, max_length=60)
    work_unit = forms.CharField(label=_("Work unit"), required=False, max_length=100)
    # The stored number is never put in the page (only its masked form, in the help text):
    # the reveal button, which is recorded, stays the one way to read it in full.
    phone = forms.CharField(
        label=_("New mobile phone number"),
        required=False,
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}),
    )
    phone_clear = forms.BooleanField(label=_("Remove the phone number"), required=False)
    groups = forms.ModelMultipleChoiceField(
        label=_("Professional groups"),
        queryset=ProfessionalGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    home_station = forms.ModelChoiceField(
        label=_("Home station"), queryset=None, required=False, empty_label=_("None")
    )
    photo = forms.ImageField(
        label=_("Photo"),
        required=False,
        help_text=_("JPEG, PNG or WebP, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )
    is_active = forms.BooleanField(label=_("Active"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, deputy: Deputy, user, **kwargs):
        home = stations().home_station_of(deputy)
        kwargs.setdefault(
            "initial",
            {
                **{
                    name: getattr(deputy, name)
                    for name in self.base_fields
                    if name not in ("groups", "phone", "phone_clear", "home_station")
                },
                "home_station": home.pk if home else None,
                "groups": list(deputy.groups.values_list("pk", flat=True)),
            },
        )
        super().__init__(*args, **kwargs)
        if deputy.phone:
            self.fields["phone"].help_text = _("Now %(masked)s. Leave empty to keep it.") % {
                "masked": deputy.masked_phone
            }
        else:
            self.fields["phone"].label = _("Mobile phone")
            del self.fields["phone_clear"]
        # The stations the editor may see, and the current one (kept by the office
        # perhaps) so that saving other fields does not drop it.
        self.fields["home_station"].queryset = stations().station_choices(
            user, keep=home.pk if home else None
        )

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data["birth_year"]
        if year is not None and not 1900 <= year <= timezone.localdate().year - 18:
            raise forms.ValidationError(_("Not a plausible year of birth."))
        return year

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and not PHONE_RE.match(value):
            raise forms.ValidationError(_("Enter a phone number of digits only."))
        return value

    def clean_photo(self):
        photo = self.cleaned_data["photo"]
        if not isinstance(photo, UploadedFile):
            return photo  # unchanged (the stored file), cleared (False) or none
        if photo.size > PHOTO_MAX_BYTES:
            raise forms.ValidationError(_("The photo is larger than 5 MB."))
        # ImageField has opened the file with Pillow; trust the decoded format, not the
        # file name or the browser's content type.
        if getattr(photo, "image", None) is None or photo.image.format not in PHOTO_FORMATS:
            raise forms.ValidationError(_("Choose a JPEG, PNG or WebP photo."))
        return photo

    def changes(self) -> DeputyFields:
        """The fields for ``deputy_update``: a new photo or False to remove it, never
        the stored file; a new phone number, "" to remove it, or none to keep it."""
        data = {
            k: v
            for k, v in self.cleaned_data.items()
            if k not in ("groups", "version", "phone_clear")
        }
        if not (data["photo"] is False or isinstance(data["photo"], UploadedFile)):
            del data["photo"]
        # An empty "new number" keeps the stored one; removing it is asked for in so many words.
        if self.cleaned_data.get("phone_clear"):
            data["phone"] = ""
        elif not data["phone"]:
            del data["phone"]
        return DeputyFields(**data)  # type: ignore[typeddict-item]


class MandateForm(forms.Form):
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices)
    congress = forms.CharField(
        label=_("Congress and term"),
        max_length=80,
        help_text=_("e.g. 溆浦县第十八届人民代表大会"),
    )
    term_start = forms.IntegerField(
        label=_("Term starts (year)"), required=False, min_value=1949, max_value=2100
    )
    term_end = forms.IntegerField(
        label=_("Term ends (year)"), required=False, min_value=1949, max_value=2100
    )
    district = forms.CharField(
        label=_("Electoral district or delegation"), required=False, max_length=80
    )
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.none(), to_field_name="code"
    )
    started_on = forms.DateField(
        label=_("Seat taken on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_(
            "The day of the election: a congress session's roll counts the seats held on its day."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("prefix", "mandate")
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).order_by("path")


class MandateEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Ended on"), widget=forms.DateInput(attrs={"type": "date"}))
