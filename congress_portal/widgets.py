"""Form widgets the portal's templates alone would make slow."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def _attrs(attrs: dict[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``: ``False`` leaves the attribute out,
    ``True`` writes its bare name."""
    return "".join(
        f" {conditional_escape(name)}"
        if value is True
        else f' {conditional_escape(name)}="{conditional_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    """A select of thousands of options (every unit, every region of a province): the
    markup of ``templates/django/forms/widgets/select.html``, written in Python; the
    template costs about 0.1 ms an option, most of the inbox's time at province scale."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        choose = conditional_escape(gettext("Choose…"))
        parts = [f'<select name="{conditional_escape(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, group_choices, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('\n  <optgroup label="{}">', group_name))
            for option in group_choices:
                label = option["label"]
                parts.append(
                    f'\n  <option value="{conditional_escape(str(option["value"]))}"'
                    f"{_attrs(option['attrs'])}>"
                    f"{choose if label == '---------' else conditional_escape(label)}</option>"
                )
            if group_name:
                parts.append("\n  </optgroup>")
        parts.append("\n</select>")
        return mark_safe("".join(parts))  # nosec B308 B703  (every part is escaped above)


class _ValuesChoiceIterator(ModelChoiceIterator):
    """The options as (value, label) rows of one query, no model instance an option."""

    def __iter__(self):
        field = self.field
        if field.empty_label is not None:
            yield ("", field.empty_label)
        yield from self.queryset.values_list(field.to_field_name or "pk", field.option_label)


class LongModelChoiceField(forms.ModelChoiceField):
    """A :class:`~django.forms.ModelChoiceField` of thousands of choices: its options
    are read as values, ``option_label`` being the option's text as an expression (the
    model's ``__str__`` in SQL), and written by :class:`LongSelect`. What it accepts and
    cleans to (a model instance) is a ModelChoiceField's."""

    widget = LongSelect
    iterator = _ValuesChoiceIterator

    def __init__(self, queryset, *, option_label: Any, **kwargs: Any) -> None:
        self.option_label = option_label
        super().__init__(queryset, **kwargs)
