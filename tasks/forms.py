"""Every input of the task pages, GET filters included."""

from __future__ import annotations

import datetime
import re

from django import forms
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIteratorValue
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from congress_portal.calendar_words import QUARTERS
from congress_portal.widgets import LongSelect
from organisation.models import Unit, User
from organisation.roles import Role
from tasks.excel import MAX_IMPORT_BYTES
from tasks.models import Aspect, Assessment, Task, TaskList
from tasks.services.lists import TASK_EDITABLE, TaskFields
from tasks.status import TaskStatus, next_report_day


def leaders() -> QuerySet[User]:
    return User.objects.filter(role=Role.LEADER, is_active=True).order_by("full_name")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe); type and size are checked
    by ``tasks.evidence.evidence_check`` in the service."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ChosenAmong(forms.ModelChoiceField):
    """A choice among objects the page has already read (``among``): offered and checked
    without a query of its own. Anything that is not one of their keys is an invalid
    choice, as a ModelChoiceField says."""

    def _get_choices(self):
        empty = [] if self.empty_label is None else [("", self.empty_label)]
        return empty + [
            (ModelChoiceIteratorValue(item.pk, item), self.label_from_instance(item))
            for item in self.among
        ]

    choices = property(_get_choices, forms.ChoiceField.choices.fset)

    @property
    def among(self) -> list:
        return getattr(self, "_among", [])

    @among.setter
    def among(self, items) -> None:
        self._among = list(items)
        self.widget.choices = self.choices

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            key = int(str(value).strip())
        except ValueError:
            key = None
        for item in self.among:
            if item.pk == key:
                return item
        raise forms.ValidationError(
            self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class TaskFilterForm(forms.Form):
    """The filters of /tasks/. Invalid values answer 400 (see the view). Its selects are
    written in Python (LongSelect): the page is the one opened most, every row counts."""

    FILTERS = ("aspect", "unit", "status", "leader", "q")

    list = ChosenAmong(
        label=_("List"), queryset=TaskList.objects.none(), required=False, empty_label=None
    )
    aspect = ChosenAmong(
        label=_("Aspect"),
        queryset=Aspect.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=LongSelect,
    )
    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=LongSelect,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All"))] + TaskStatus.choices,
        required=False,
        widget=LongSelect,
    )
    leader = forms.ModelChoiceField(
        label=_("Lead leader"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All"),
        widget=LongSelect,
    )
    q = forms.CharField(label=_("Text"), max_length=100, required=False)

    def __init__(self, data, *, lists, user: User, aspects_of=None):
        """``aspects_of(task_list)`` reads the chosen list's aspects (by number), for a
        page that reads them anyway (/tasks/ shows each with its progress)."""
        super().__init__(data)
        # Read once: the picker shows them, and an absent or bad choice opens the first.
        self.lists = list(lists)
        self.fields["list"].queryset = lists
        self.fields["list"].among = self.lists
        try:
            # The field's own parsing: "abc", "1.5" or " " choose no list (the form then
            # says so beside the field) instead of reaching the database as a bad id.
            chosen = self.fields["list"].to_python(data.get("list"))
        except forms.ValidationError:
            chosen = None
        chosen = chosen or (self.lists[0] if self.lists else None)
        self.chosen_list = chosen
        aspects_of = aspects_of or (lambda task_list: task_list.aspects.order_by("number"))
        self.aspects = list(aspects_of(chosen)) if chosen else []
        self.fields["aspect"].among = self.aspects
        self.fields["leader"].queryset = leaders()
        # The units leading or helping a task of the list: two key lists, not a DISTINCT
        # over both joins.
        helping = Task.cooperating_units.through.objects.filter(task__task_list=chosen)
        units = Unit.objects.filter(
            Q(pk__in=Task.objects.filter(task_list=chosen).values("lead_unit"))
            | Q(pk__in=helping.values("unit"))
        )
        if user.role == Role.UNIT:
            units = units.filter(pk=user.unit_id)
        self.fields["unit"].queryset = units.order_by("kind", "name")
        self.fields["q"].widget.attrs["placeholder"] = _("Words in the content")

    def clean_list(self):
        return self.cleaned_data.get("list") or self.chosen_list

    @property
    def narrows(self) -> bool:
        """Whether a filter leaves out some of the list's tasks (valid forms only)."""
        return any(self.cleaned_data.get(name) for name in self.FILTERS)


class TaskForm(forms.ModelForm):
    """A task's fields. The deadline-or-long-term rule is the service's
    (``tasks.services.lists._check_task_fields``); its error is shown beside the field it names.
    ``deadline`` is a plain form field so that the model's check constraint is not
    validated here a second time, with a message beside no field."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    deadline = forms.DateField(
        label=capfirst(Task._meta.get_field("deadline").verbose_name),
        required=False,
        widget=DateInput(),
    )
    field_order = [
        "aspect",
        "content",
        "expected_result",
        "lead_leader",
        "lead_unit",
        "cooperating_units",
        "deadline",
        "is_long_term",
        "weight",
    ]

    class Meta:
        model = Task
        fields = [
            "aspect",
            "content",
            "expected_result",
            "lead_leader",
            "lead_unit",
            "cooperating_units",
            "is_long_term",
            "weight",
        ]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 4}),
            "expected_result": forms.Textarea(attrs={"rows": 3}),
            "cooperating_units": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["aspect"].queryset = Aspect.objects.filter(task_list=self.instance.task_list)
        self.fields["lead_leader"].queryset = leaders()
        self.fields["lead_unit"].queryset = Unit.objects.filter(is_active=True)
        self.fields["cooperating_units"].queryset = Unit.objects.filter(is_active=True)
        if not self.is_bound:
            self.initial["version"] = self.instance.version
            self.initial.setdefault("deadline", self.instance.deadline)

    def task_fields(self) -> TaskFields:
        """The task's fields as entered, for ``task_create`` and ``task_update``."""
        return TaskFields(**{name: self.cleaned_data[name] for name in TASK_EDITABLE})  # type: ignore[typeddict-item]


class TaskCreateForm(TaskForm):
    number = forms.IntegerField(label=_("Number"), min_value=1, max_value=9999)

    class Meta(TaskForm.Meta):
        fields = ["number", *TaskForm.Meta.fields]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["version"]
        self.order_fields(["number", "aspect"])


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())


class InstructionForm(forms.Form):
    """批示: a leader's instruction to the task's lead unit."""

    text = forms.CharField(
        label=_("Instruction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    due_on = forms.DateField(label=_("Answer due by"), required=False, widget=DateInput())

    def __init__(self, *args, today: datetime.date | None = None, **kwargs):
        kwargs.setdefault("auto_id", "instruction_%s")
        super().__init__(*args, **kwargs)
        default = next_report_day(today or timezone.localdate())
        self.fields["due_on"].help_text = _("Empty: the next report day, %(day)s.") % {
            "day": date_format(default, "DATE_FORMAT")
        }


def report_months(task_list: TaskList | None, today: datetime.date) -> list[datetime.date]:
    """The months a report may be made for, newest first: from January of the list's year
    (or its first reporting month, if earlier) up to the current month. Late reports for
    earlier months stay possible; a month that has not begun is not offered."""
    first = datetime.date(task_list.year if task_list else today.year, 1, 1)
    if task_list and task_list.reports_start and task_list.reports_start < first:
        first = task_list.reports_start
    months, month = [], today.replace(day=1)
    while month >= first or not months:
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months


class ProgressReportForm(forms.Form):
    month = forms.TypedChoiceField(label=_("Month"), coerce=datetime.date.fromisoformat)
    percent = forms.IntegerField(label=_("Percent done"), min_value=0, max_value=100)
    text = forms.CharField(
        label=_("Progress this month"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000
    )
    files = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, JPEG, PNG, Word or Excel; at most 10 MB each."),
    )
    # The version of each of the unit's reports on the task when the form was opened
    # ("2025-03-01:2 2025-04-01:1"), so whichever month is chosen, the service gets the
    # version the person saw (0: no report yet) and refuses to overwrite a newer one.
    versions = forms.RegexField(
        regex=r"^(\d{4}-\d{2}-01:\d{1,9}( |$))*$", widget=forms.HiddenInput, required=False
    )

    @staticmethod
    def encode_versions(versions: dict[datetime.date, int]) -> str:
        return " ".join(f"{month.isoformat()}:{v}" for month, v in sorted(versions.items()))

    def clean(self):
        data = super().clean()
        seen = {}
        for pair in (data.get("versions") or "").split():
            month, version = pair.split(":")
            seen[month] = int(version)
        if data.get("month"):
            data["version"] = seen.get(data["month"].isoformat(), 0)
        return data

    def __init__(
        self,
        *args,
        task_list: TaskList | None = None,
        month_notes: dict[datetime.date, str] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        notes = month_notes or {}
        self.fields["month"].choices = [
            (
                m.isoformat(),
                " · ".join(filter(None, [date_format(m, "YEAR_MONTH_FORMAT"), notes.get(m)])),
            )
            for m in report_months(task_list, timezone.localdate())
        ]
        self.fields["files"].widget.attrs["accept"] = ".pdf,.jpg,.jpeg,.png,.docx,.xlsx"


class ReviewForm(forms.Form):
    ACCEPT, RETURN = "accept", "return"
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[(ACCEPT, _("Accept")), (RETURN, _("Return with a comment"))],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Review comment"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    # Sent by a row of the review queue, which answers with the row (htmx), not the card.
    row = forms.BooleanField(required=False, widget=forms.HiddenInput)


class ReviewQueueFilterForm(forms.Form):
    """The review queue's filter (GET): one unit's reports, or every unit's."""

    unit = forms.ModelChoiceField(
        label=_("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("All units"),
    )

    def __init__(self, *args, units: QuerySet[Unit], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units


class SelectedReportsField(forms.Field):
    """The ticked rows of the review queue: each checkbox's value is "<report>:<version>",
    the version the reviewer saw."""

    widget = forms.CheckboxSelectMultiple
    MAX = 200
    PATTERN = re.compile(r"^(\d{1,12}):(\d{1,9})$")

    def to_python(self, value) -> list[tuple[int, int]]:
        values = value if isinstance(value, list | tuple) else ([value] if value else [])
        pairs = []
        for item in values:
            match = self.PATTERN.match(str(item))
            if match is None:
                raise forms.ValidationError(_("Select the reports again."), code="invalid")
            pairs.append((int(match[1]), int(match[2])))
        if len(pairs) > self.MAX:
            raise forms.ValidationError(
                _("Select at most %(n)s reports at once.") % {"n": self.MAX}, code="too_many"
            )
        return list(dict(pairs).items())  # a report ticked twice counts once

    def validate(self, value) -> None:
        if not value:
            raise forms.ValidationError(_("Tick the reports to accept first."), code="required")


class BulkAcceptForm(forms.Form):
    reports = SelectedReportsField(label=_("Selected reports"))


class ListMetaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    kind = forms.ChoiceField(label=_("Kind"), choices=TaskList.Kind.choices)
    issuer = forms.CharField(label=_("Issuer"), max_length=80, required=False)
    reports_start = forms.DateField(
        label=_("Monthly reports due from"),
        required=False,
        widget=DateInput(),
        help_text=_("Any day of the first month whose report is due."),
    )

    def clean_reports_start(self):
        day = self.cleaned_data.get("reports_start")
        return day.replace(day=1) if day else None


class ImportForm(ListMetaForm):
    file = forms.FileField(
        label=_("Excel file (.xlsx)"),
        help_text=_("Use the template; at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class ImportConfirmForm(ListMetaForm):
    token = forms.RegexField(regex=r"^[0-9a-f]{32}$", widget=forms.HiddenInput)


class CopyForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title of the copy"), max_length=200, required=False)


class VisitForm(forms.Form):
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=User.objects.none())
    visited_on = forms.DateField(label=_("Date"), widget=DateInput())
    places = forms.CharField(label=_("Places"), max_length=300)
    tasks = forms.ModelMultipleChoiceField(
        label=_("Tasks covered"),
        queryset=Task.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    findings = forms.CharField(
        label=_("Findings"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders()
        self.fields["tasks"].queryset = Task.objects.select_related("task_list").order_by(
            "-task_list__year", "task_list", "number"
        )
        self.fields["tasks"].label_from_instance = lambda t: f"{t.task_list.year} · {t}"


class FollowUpForm(forms.Form):
    description = forms.CharField(
        label=_("Finding"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=Unit.objects.none())
    task = forms.ModelChoiceField(label=_("Task"), queryset=Task.objects.none())
    due_date = forms.DateField(label=_("Due date"), widget=DateInput())

    def __init__(self, *args, visit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        self.fields["task"].queryset = visit.tasks.order_by("number")


class AssessmentFilterForm(forms.Form):
    list = forms.ModelChoiceField(
        label=_("List"), queryset=TaskList.objects.none(), required=False, empty_label=None
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100, required=False)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        required=False,
        choices=sorted(QUARTERS.items()),  # 第三季度 · Q3 (not list(): "list" is a field here)
    )

    def __init__(self, data, *, lists):
        super().__init__(data)
        self.fields["list"].queryset = lists


class AssessmentGridForm(forms.Form):
    """A quarter's scores in one POST: for each task that may be scored, its four parts
    (``t<pk>-completion`` …) and the version of its scores the page showed
    (``t<pk>-version``, 0: none yet). A row left empty is not scored; a row filled in
    part is an error beside its empty cells."""

    def __init__(self, data=None, *, tasks: list[Task]):
        super().__init__(data)
        self.tasks = tasks
        for task in tasks:
            for part in Assessment.RUBRIC:
                self.fields[f"t{task.pk}-{part}"] = forms.IntegerField(
                    label=Assessment._meta.get_field(part).verbose_name,
                    min_value=0,
                    max_value=Assessment.PART_MAX,
                    required=False,
                )
            self.fields[f"t{task.pk}-version"] = forms.IntegerField(
                min_value=0, required=False, widget=forms.HiddenInput
            )

    def clean(self):
        data = super().clean()
        for task in self.tasks:
            names = [f"t{task.pk}-{part}" for part in Assessment.RUBRIC]
            if any(name in self.errors for name in names):
                continue
            empty = [name for name in names if data.get(name) is None]
            if empty and len(empty) < len(names):
                for name in empty:
                    self.add_error(name, _("Needed: score all four parts, or none."))
        return data

    def scores(self) -> list[dict]:
        """The filled rows: ``{"task", "completion", …, "version"}``."""
        rows = []
        for task in self.tasks:
            parts = {part: self.cleaned_data[f"t{task.pk}-{part}"] for part in Assessment.RUBRIC}
            if None in parts.values():
                continue
            version = self.cleaned_data[f"t{task.pk}-version"] or 0
            rows.append({"task": task, **parts, "version": version})
        return rows
