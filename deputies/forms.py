"""Every input of the deputies pages, GET filters included."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import Level, ProfessionalGroup
from organisation.models import Region


class DeputyFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=40)
    level = forms.ChoiceField(
        label=_("Level"), required=False, choices=[("", _("All levels")), *Level.choices]
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("All regions"),
    )
    group = forms.ModelChoiceField(
        label=_("Professional group"),
        required=False,
        queryset=ProfessionalGroup.objects.all(),
        empty_label=_("All groups"),
    )
    station = forms.ModelChoiceField(
        label=_("Station"),
        required=False,
        queryset=None,
        to_field_name="code",
        empty_label=_("All stations"),
    )

    def __init__(self, *args, user, **kwargs):
        from liaison_stations.models import Station

        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = Region.objects.visible_to(user).exclude(
            level=Region.Level.CITY
        )
        self.fields["station"].queryset = Station.objects.visible_to(user).only("code", "name")


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
        return file
