"""Supervision (督责): leaders' visits and their follow-up items. An item is answered and
verified on its handover's page (``handovers``), never closed here."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from congress_portal.errors import show_error
from handovers.models import Handover
from organisation.access import get_visible_or_404, role_required
from organisation.roles import OFFICE, TASK_WORKERS, Role
from organisation.selectors import history_of
from tasks import selectors
from tasks.forms import FollowUpForm, VisitForm
from tasks.models import SupervisionVisit
from tasks.services import TasksError
from tasks.services import supervision as services


@role_required(TASK_WORKERS)
@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    items = list(selectors.open_follow_ups(request.user))
    today = timezone.localdate()
    for item in items:
        item.with_unit = item.handover_state in Handover.WITH_UNIT
        item.answered = item.handover_state == Handover.State.ANSWERED
    visits = selectors.supervision_visits() if request.user.sees_everything else []
    return render(
        request,
        "tasks/supervision.html",
        {"items": items, "visits": visits, "today": today},
    )


@role_required(OFFICE)
def visit_create(request: HttpRequest) -> HttpResponse:
    initial = {"leader": request.user.pk} if request.user.role == Role.LEADER else {}
    form = VisitForm(request.POST or None, initial=initial)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            visit = services.supervision_visit_record(
                leader=data["leader"],
                visited_on=data["visited_on"],
                places=data["places"],
                tasks=data["tasks"],
                findings=data["findings"],
                by=request.user,
            )
        except TasksError as error:
            status = show_error(form, error)
        else:
            messages.success(request, _("The visit was recorded. Add its findings below."))
            return redirect("tasks:visit", pk=visit.pk)
    return render(request, "tasks/visit_form.html", {"form": form}, status=status)


@role_required(OFFICE)
def visit_detail(request: HttpRequest, pk: int) -> HttpResponse:
    visit = get_visible_or_404(
        SupervisionVisit.objects.select_related("leader", "recorded_by").prefetch_related(
            "tasks", "items__unit", "items__task"
        ),
        request.user,
        pk=pk,
    )
    form = FollowUpForm(request.POST or None, visit=visit)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.follow_up_add(
                    visit=visit,
                    unit=data["unit"],
                    description=data["description"],
                    due_date=data["due_date"],
                    task=data["task"],
                    by=request.user,
                )
            except TasksError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The follow-up item was added."))
                return redirect("tasks:visit", pk=visit.pk)
        else:
            status = 400
    return render(
        request,
        "tasks/visit_detail.html",
        {"visit": visit, "form": form, "history": history_of(visit), "today": timezone.localdate()},
        status=status,
    )
