"""Quarterly assessment (考责): the quarter's grid (all its scores in one save), the unit
rankings, a leader's confirmation."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress_portal.calendar_words import quarter_label
from congress_portal.errors import show_message
from organisation.access import role_required
from organisation.roles import OFFICE, Role
from tasks import selectors
from tasks.forms import AssessmentFilterForm, AssessmentGridForm
from tasks.models import Assessment, Task, TaskList
from tasks.services import TasksError
from tasks.services import assessment as services
from tasks.status import STATUS_BADGE, TaskStatus


@dataclass
class GridCell:
    name: str
    label: str
    value: object
    errors: list[str]


@dataclass
class GridRow:
    """One task of the quarter's grid as the page shows it."""

    task: Task
    scores: Assessment | None
    status: TaskStatus
    badge: str
    editable: bool
    cells: list[GridCell] = field(default_factory=list)
    version: int = 0
    error: str = ""


def _grid_rows(
    tasks: list[Task],
    *,
    may_score: bool,
    grid: AssessmentGridForm | None = None,
    refused: dict[int, str] | None = None,
) -> list[GridRow]:
    """The rows with the values to show: the posted ones after a refused save (and the
    errors beside their cells), the saved scores otherwise."""
    posted = grid is not None and grid.is_bound
    rows = []
    for task in tasks:
        scores = task.quarter_scores[0] if task.quarter_scores else None
        status = TaskStatus(task.status)
        row = GridRow(
            task=task,
            scores=scores,
            status=status,
            badge=STATUS_BADGE[status],
            editable=may_score and not (scores and scores.confirmed_at),
            version=scores.version if scores else 0,
            error=(refused or {}).get(task.pk, ""),
        )
        if row.editable:
            if posted and grid is not None:
                row.version = grid.data.get(f"t{task.pk}-version", row.version)
            for part in Assessment.RUBRIC:
                name = f"t{task.pk}-{part}"
                value = grid.data.get(name, "") if posted and grid is not None else None
                if value is None:
                    value = getattr(scores, part) if scores else ""
                errors = list(grid.errors.get(name, [])) if posted and grid is not None else []
                label = str(Assessment._meta.get_field(part).verbose_name)
                row.cells.append(GridCell(name=name, label=label, value=value, errors=errors))
        rows.append(row)
    return rows


def _quarter_shown(
    request: HttpRequest, data: QueryDict, lists: QuerySet[TaskList]
) -> tuple[AssessmentFilterForm, TaskList | None, int, int] | None:
    """The list, year and quarter asked for, the last finished quarter by default (and
    the list of its year, else the newest); None when the filter is invalid."""
    form = AssessmentFilterForm(data, lists=lists)
    if not form.is_valid():
        return None
    default_year, default_quarter = selectors.last_finished_quarter(timezone.localdate())
    year = form.cleaned_data["year"] or default_year
    quarter = form.cleaned_data["quarter"] or default_quarter
    task_list = form.cleaned_data["list"] or lists.filter(year=year).first() or lists.first()
    # Show the quarter actually displayed (defaults included) in the form.
    shown = {"list": task_list.pk if task_list else "", "year": year, "quarter": quarter}
    form = AssessmentFilterForm(shown, lists=lists)
    form.is_valid()
    return form, task_list, year, quarter


def _page(
    request: HttpRequest,
    form: AssessmentFilterForm,
    task_list: TaskList | None,
    year: int,
    quarter: int,
    *,
    grid: AssessmentGridForm | None = None,
    refused: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    may_score = request.user.role == Role.STAFF or request.user.is_superuser
    context: dict[str, object] = {
        "form": form,
        "task_list": task_list,
        "year": year,
        "quarter": quarter,
        "quarter_label": quarter_label(year, quarter),
        "quarter_end": selectors.quarter_end(year, quarter),
    }
    if task_list is not None:
        tasks = list(selectors.assessments_for(task_list, year=year, quarter=quarter))
        rows = _grid_rows(tasks, may_score=may_score, grid=grid, refused=refused)
        context.update(
            rows=rows,
            grid_errors=grid.non_field_errors() if grid is not None and grid.is_bound else [],
            scored=sum(1 for t in tasks if t.quarter_scores),
            unconfirmed=sum(
                1 for t in tasks if t.quarter_scores and not t.quarter_scores[0].confirmed_at
            ),
            quarter_ranking=selectors.unit_ranking(task_list, year=year, quarter=quarter),
            year_ranking=selectors.unit_ranking(task_list, year=year),
            may_score=any(row.editable for row in rows),
            may_confirm=request.user.role == Role.LEADER or request.user.is_superuser,
        )
    return render(request, "tasks/assessment.html", context, status=status)


@role_required(OFFICE)
@require_GET
def assessment(request: HttpRequest) -> HttpResponse:
    lists = TaskList.objects.order_by("-year", "kind", "title")
    shown = _quarter_shown(request, request.GET, lists)
    if shown is None:
        form = AssessmentFilterForm(request.GET, lists=lists)
        return render(request, "tasks/assessment.html", {"form": form}, status=400)
    return _page(request, *shown)


@role_required(Role.STAFF)
@require_POST
def assessment_score(request: HttpRequest) -> HttpResponse:
    """The whole grid in one save: every filled row or, after an error, none."""
    lists = TaskList.objects.order_by("-year", "kind", "title")
    filters = AssessmentFilterForm(request.POST, lists=lists)
    if not (
        filters.is_valid()
        and filters.cleaned_data["list"]
        and filters.cleaned_data["year"]
        and filters.cleaned_data["quarter"]
    ):
        return HttpResponseBadRequest(_("Invalid quarter."))
    task_list = filters.cleaned_data["list"]
    year, quarter = filters.cleaned_data["year"], filters.cleaned_data["quarter"]
    tasks = list(selectors.assessments_for(task_list, year=year, quarter=quarter))
    open_tasks = [t for t in tasks if not (t.quarter_scores and t.quarter_scores[0].confirmed_at)]
    grid = AssessmentGridForm(request.POST, tasks=open_tasks)
    shown = (filters, task_list, year, quarter)
    if not grid.is_valid():
        grid.add_error(None, _("Nothing was saved: correct the rows marked below and save again."))
        return _page(request, *shown, grid=grid, status=400)
    try:
        saved = services.assessments_record(
            rows=[services.ScoreRow(**row) for row in grid.scores()],
            year=year,
            quarter=quarter,
            by=request.user,
        )
    except services.AssessmentGridError as error:
        grid.add_error(None, error.message)
        return _page(request, *shown, grid=grid, refused=error.rows, status=error.status)
    messages.success(
        request,
        _("Scores saved for %(quarter)s: %(n)s tasks.")
        % {"quarter": quarter_label(year, quarter), "n": len(saved)},
    )
    query = {"list": task_list.pk, "year": year, "quarter": quarter}
    return redirect(reverse("tasks:assessment", query=query))


@role_required(Role.LEADER)
@require_POST
def assessment_confirm(request: HttpRequest) -> HttpResponse:
    form = AssessmentFilterForm(request.POST, lists=TaskList.objects.all())
    if not (
        form.is_valid()
        and form.cleaned_data["list"]
        and form.cleaned_data["year"]
        and form.cleaned_data["quarter"]
    ):
        return HttpResponseBadRequest(_("Invalid quarter."))
    data = form.cleaned_data
    try:
        count = services.assessments_confirm(
            task_list=data["list"], year=data["year"], quarter=data["quarter"], by=request.user
        )
    except TasksError as error:
        show_message(request, error)
    else:
        messages.success(request, _("%(n)s scores confirmed.") % {"n": count})
    query = {"list": data["list"].pk, "year": data["year"], "quarter": data["quarter"]}
    return redirect(reverse("tasks:assessment", query=query))
