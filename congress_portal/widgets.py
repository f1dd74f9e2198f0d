"""Form widgets the portal's templates alone would make slow."""

from __future__ import annotations

import html
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext


def _escape(value: Any) -> str:
    """``conditional_escape`` without its lazy wrapper (thousands of calls a page)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def _attrs(attrs: dict[str, Any]) -> str:
    """As ``django/forms/widgets/attrs.html``: ``False`` leaves the attribute out,
    ``True`` writes its bare name."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


class LongSelect(forms.Select):
    """A select of thousands of options (every unit, every region of a province): the
    markup of ``templates/django/forms/widgets/select.html`` and Django's ``optgroups``,
    written in Python in one pass over the choices; the template costs about 0.1 ms an
    option, and the option dicts most of the rest."""

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, attrs)
        if self.allow_multiple_selected:
            final_attrs["multiple"] = True
        chosen = set(self.format_value(value))
        choose = _escape(gettext("Choose…"))
        has_selected = False
        parts = [f'<select name="{_escape(name)}"{_attrs(final_attrs)}>']
        for group_value, group_label in self.choices:
            group = isinstance(group_label, (list, tuple))
            if group:
                parts.append(f'\n  <optgroup label="{_escape(group_value)}">')
                options = group_label
            else:
                options = [(group_value, group_label)]
            for option_value, label in options:
                key = "" if option_value is None else str(option_value)
                selected = key in chosen and (not has_selected or self.allow_multiple_selected)
                has_selected |= selected
                text = choose if label == "---------" else _escape(label)
                parts.append(
                    f'\n  <option value="{_escape(key)}"{" selected" if selected else ""}>'
                    f"{text}</option>"
                )
            if group:
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
