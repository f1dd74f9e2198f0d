"""A leader's instruction 批示 on a task, written on the task's page."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congress_portal.errors import show_error
from organisation.access import get_visible_or_404, role_required
from organisation.roles import INSTRUCTORS
from tasks.forms import InstructionForm
from tasks.models import Task
from tasks.services import TasksError
from tasks.services.instructions import instruction_write
from tasks.views.lists import render_task_page


@role_required(INSTRUCTORS)
@require_POST
def instruction_create(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(
        Task.objects.select_related("lead_unit", "lead_leader"), request.user, pk=pk
    )
    form = InstructionForm(request.POST)
    if form.is_valid():
        try:
            instruction = instruction_write(
                task=task,
                by=request.user,  # type: ignore[arg-type]
                text=form.cleaned_data["text"],
                due_on=form.cleaned_data["due_on"],
            )
        except TasksError as error:
            status = show_error(form, error)
        else:
            messages.success(
                request,
                _("Your instruction was handed to %(unit)s.") % {"unit": task.lead_unit},
            )
            return redirect(
                reverse("tasks:task", args=[task.pk], fragment=f"instruction-{instruction.pk}")
            )
    else:
        status = 400
    return render_task_page(request, pk, instruction_form=form, status=status)
