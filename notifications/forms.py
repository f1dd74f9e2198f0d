from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from notifications.channels import external_channels


class ListFilterForm(forms.Form):
    show = forms.ChoiceField(
        label=_("Show"),
        choices=[("all", _("All")), ("unread", _("Unread"))],
        required=False,
    )
    page = forms.IntegerField(label=_("Page"), min_value=1, required=False)


class MarkReadForm(forms.Form):
    notification = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)
    all = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        if not data.get("notification") and not data.get("all"):
            raise forms.ValidationError(_("Choose what to mark as read."))
        return data


class ChannelsForm(forms.Form):
    """One checkbox per external channel the portal has."""

    def __init__(self, *args, initial_choices: dict[str, bool], **kwargs):
        super().__init__(*args, **kwargs)
        for channel in external_channels():
            self.fields[channel.name] = forms.BooleanField(
                label=channel.label,
                required=False,
                initial=initial_choices.get(channel.name, channel.default_enabled),
            )
