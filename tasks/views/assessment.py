"""Quarterly assessment (考责): the scores page, scoring a task, a leader's confirmation."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress_portal.errors import show_message
from organisation.access import get_visible_or_404, role_required
from organisation.roles import OFFICE, Role
from tasks import selectors
from tasks.forms import AssessmentFilterForm, AssessmentForm
from tasks.models import Task, TaskList
from tasks.services import TasksError
from tasks.services import assessment as services


@role_required(OFFICE)
@require_GET
def assessment(request: HttpRequest) -> HttpResponse:
    lists = TaskList.objects.order_by("-year", "kind", "title")
    form = AssessmentFilterForm(request.GET, lists=lists)
    if not form.is_valid():
        return render(request, "tasks/assessment.html", {"form": form}, status=400)
    today = timezone.localdate()
    task_list = form.cleaned_data["list"] or lists.first()
    year = form.cleaned_data["year"] or (task_list.year if task_list else today.year)
    quarter = form.cleaned_data["quarter"] or 1
    # Show the quarter actually displayed (defaults included) in the form.
    shown = {"list": task_list.pk if task_list else "", "year": year, "quarter": quarter}
    form = AssessmentFilterForm(shown, lists=lists)
    form.is_valid()
    context = {"form": form, "task_list": task_list, "year": year, "quarter": quarter}
    if task_list is not None:
        tasks = list(selectors.assessments_for(task_list, year=year, quarter=quarter))
        context.update(
            tasks=tasks,
            scored=sum(1 for t in tasks if t.quarter_scores),
            unconfirmed=sum(
                1 for t in tasks if t.quarter_scores and not t.quarter_scores[0].confirmed_at
            ),
            quarter_ranking=selectors.unit_ranking(task_list, year=year, quarter=quarter),
            year_ranking=selectors.unit_ranking(task_list, year=year),
            may_score=request.user.role == Role.STAFF or request.user.is_superuser,
            may_confirm=request.user.role == Role.LEADER or request.user.is_superuser,
        )
    return render(request, "tasks/assessment.html", context)


@role_required(Role.STAFF)
@require_POST
def assessment_score(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(Task.objects.all(), request.user, pk=pk)
    filters = AssessmentFilterForm(
        request.POST, lists=TaskList.objects.filter(pk=task.task_list_id)
    )
    form = AssessmentForm(request.POST)
    if (
        filters.is_valid()
        and form.is_valid()
        and filters.cleaned_data["year"]
        and filters.cleaned_data["quarter"]
    ):
        scores = form.cleaned_data
        try:
            services.assessment_record(
                task=task,
                year=filters.cleaned_data["year"],
                quarter=filters.cleaned_data["quarter"],
                completion=scores["completion"],
                timeliness=scores["timeliness"],
                quality=scores["quality"],
                evidence_score=scores["evidence_score"],
                comment=scores["comment"],
                version=scores["version"] or 0,
                by=request.user,
            )
        except TasksError as error:
            show_message(request, error)
        else:
            messages.success(request, _("Scores saved for task %(n)s.") % {"n": task.number})
    else:
        messages.error(request, _("Each part of the rubric is scored from 0 to 25."))
    query = {
        "list": task.task_list_id,
        "year": request.POST.get("year", ""),
        "quarter": request.POST.get("quarter", ""),
    }
    return redirect(reverse("tasks:assessment", query=query, fragment=f"task-{task.pk}"))


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
