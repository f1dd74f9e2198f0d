"""Task lists and tasks: the filtered list, export, import, copy, a task, its milestones
and evidence."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Callable

from django.contrib import messages
from django.core.files.storage import default_storage
from django.db.models import QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress_portal.errors import show_error, show_message
from organisation.access import get_visible_or_404, has_role, role_required
from organisation.roles import TASK_WORKERS, Role
from organisation.selectors import history_of
from tasks import excel, selectors
from tasks.forms import (
    CopyForm,
    ImportConfirmForm,
    ImportForm,
    InstructionForm,
    MilestoneForm,
    TaskCreateForm,
    TaskFilterForm,
    TaskForm,
)
from tasks.models import Evidence, Milestone, Task, TaskImportJob, TaskList
from tasks.services import TasksError
from tasks.services import lists as services
from tasks.services.instructions import may_instruct
from tasks.status import STATUS_BADGE, TaskStatus, missing_report_months, status_reason
from tasks.views import task_or_404
from tasks.views.progress import attach_review_forms

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _url_for_each(name: str) -> Callable[[int], str]:
    """The address of ``name`` for any primary key, reversed once: each row's key goes
    where the argument does (no path is spelled here)."""
    marker = "2147483647"
    head, _marker, tail = reverse(name, args=[int(marker)]).partition(marker)
    return lambda pk: f"{head}{pk}{tail}"


def _filtered_tasks(request: HttpRequest) -> tuple[TaskFilterForm, QuerySet[Task] | None]:
    """The filter form of /tasks/ and the tasks it selects (``None`` when the input is bad)."""
    lists = selectors.task_lists_for(request.user)
    form = TaskFilterForm(
        request.GET,
        lists=lists,
        user=request.user,
        aspects_of=lambda task_list: selectors.aspect_progress(task_list, request.user),
    )
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    task_list = data["list"]
    if task_list is None:
        return form, Task.objects.none()
    tasks = selectors.tasks_for(
        request.user,
        today=timezone.localdate(),
        task_list=task_list,
        aspect=data["aspect"],
        unit=data["unit"],
        status=data["status"],
        leader=data["leader"],
        text=data["q"],
    )
    return form, tasks


@role_required(TASK_WORKERS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form, tasks = _filtered_tasks(request)
    if tasks is None:
        template = "tasks/index.html#results" if request.htmx else "tasks/index.html"
        return render(request, template, {"form": form, "groups": []}, status=400)
    task_list = form.cleaned_data["list"]
    groups: list[selectors.AspectGroup] = []
    counts: dict[str, int] = {}
    if task_list is not None:
        rows = selectors.task_rows(tasks)
        groups = selectors.group_by_aspect(rows, form.aspects)
        if form.narrows:
            counts = selectors.status_counts(
                today=timezone.localdate(), task_list=task_list, user=request.user
            )
        else:  # the rows are the whole list as this person sees it: count them
            counts = Counter(row.status for row in rows)
    shown = 0
    # What every row shows, worked out once for the page rather than once per row in the
    # template: the labels, the addresses (reversed once, each row's key put in), the
    # statuses' labels and the deadlines' dates.
    task_url = _url_for_each("tasks:task")
    report_url = _url_for_each("tasks:report_submit")
    labels = {s.value: str(s.label) for s in TaskStatus}
    dates: dict = {}
    for group in groups:
        for task in group.tasks:
            task.status_label = labels[task.status]
            task.badge = STATUS_BADGE[task.status]
            task.url = task_url(task.pk)
            task.report_url = report_url(task.pk)
            if task.deadline and task.deadline not in dates:
                dates[task.deadline] = date_format(task.deadline, "DATE_FORMAT")
            task.due_label = dates.get(task.deadline, "")
            shown += 1
    context = {
        "words": {
            "lead_unit": _("Lead unit"),
            "with": _("with"),
            "lead_leader": _("Lead leader"),
            "long_term": _("Long-term"),
            "report": _("Report"),
            "task": _("Task"),
            "instruct": _("Instruct"),
        },
        "may_report": has_role(request.user, Role.UNIT) and bool(request.user.unit_id),
        "form": form,
        "task_list": task_list,
        "groups": groups,
        "shown": shown,
        "status_counts": [(TaskStatus(s), counts.get(s, 0), STATUS_BADGE[s]) for s in TaskStatus],
        "badges": STATUS_BADGE,
        "may_instruct": may_instruct(request.user),
        "leads_tasks": request.user.role == Role.LEADER,
        "behind": (TaskStatus.OVERDUE, TaskStatus.LAGGING),
        "query": request.GET.urlencode(),
        "lists": form.lists,
    }
    template = "tasks/index.html#results" if request.htmx else "tasks/index.html"
    return render(request, template, context)


@role_required(TASK_WORKERS)
@require_GET
def export(request: HttpRequest) -> HttpResponse:
    form, tasks = _filtered_tasks(request)
    if tasks is None:
        return HttpResponseBadRequest(_("Invalid filter."))
    tasks = tasks.prefetch_related("milestones")
    labels = {s.value: str(s.label) for s in TaskStatus}
    content = excel.export_workbook(tasks, labels)
    task_list = form.cleaned_data["list"]
    name = f"tasks-{task_list.year if task_list else 'none'}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@role_required(Role.STAFF)
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(excel.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="task-list-template.xlsx"'
    return response


@role_required(Role.STAFF)
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportForm(request.POST or None, request.FILES or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        parsed = excel.parse_workbook(form.cleaned_data["file"])
        context["parsed"] = parsed
        if parsed.ok:
            # Keep the file until the staff member confirms; the confirmation parses it
            # again, so nothing in the preview is trusted.
            token = uuid.uuid4().hex
            form.cleaned_data["file"].seek(0)
            default_storage.save(services.import_path(token), form.cleaned_data["file"])
            meta = {k: v for k, v in form.cleaned_data.items() if k != "file"}
            context["confirm"] = ImportConfirmForm(initial={**meta, "token": token})
            return render(request, "tasks/import_preview.html", context)
        return render(request, "tasks/import.html", context, status=400)
    if request.method == "POST":
        return render(request, "tasks/import.html", context, status=400)
    return render(request, "tasks/import.html", context)


@role_required(Role.STAFF)
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    form = ImportConfirmForm(request.POST)
    if not form.is_valid():
        return render(
            request, "tasks/import.html", {"form": ImportForm(), "confirm_form": form}, status=400
        )
    data = form.cleaned_data
    path = services.import_path(data["token"])
    if not default_storage.exists(path):
        messages.error(request, _("The uploaded file has expired; upload it again."))
        return redirect("tasks:import")
    meta = {k: data[k] for k in ("year", "title", "kind", "issuer", "reports_start")}
    with default_storage.open(path, "rb") as upload:
        job = services.tasklist_import_queue(upload=upload, by=request.user, **meta)
    if job is not None:  # too long for the request: a worker imports it
        default_storage.delete(path)
        return redirect("tasks:import_job", pk=job.pk)
    try:
        with default_storage.open(path, "rb") as upload:
            task_list = services.tasklist_import(
                upload=upload,
                year=data["year"],
                title=data["title"],
                kind=data["kind"],
                issuer=data["issuer"],
                reports_start=data["reports_start"],
                by=request.user,
            )
    except TasksError as error:
        show_message(request, error)
        return redirect("tasks:import")
    default_storage.delete(path)
    messages.success(
        request,
        _("Imported %(title)s: %(n)s tasks.")
        % {"title": task_list.title, "n": task_list.tasks.count()},
    )
    return redirect(reverse("tasks:index", query={"list": task_list.pk}))


@role_required(Role.STAFF)
@require_GET
def import_job(request: HttpRequest, pk: int) -> HttpResponse:
    """A long import's progress; the page polls its fragment until the job is over."""
    job = get_visible_or_404(
        TaskImportJob.objects.select_related("started_by"), request.user, pk=pk
    )
    template = "tasks/import_job.html"
    return render(request, f"{template}#job-status" if request.htmx else template, {"job": job})


@role_required(Role.STAFF)
def list_copy(request: HttpRequest, pk: int) -> HttpResponse:
    task_list = get_visible_or_404(TaskList.objects.all(), request.user, pk=pk)
    form = CopyForm(request.POST or None, initial={"year": task_list.year + 1})
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.tasklist_copy(
                task_list=task_list,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except TasksError as error:
            status = show_error(form, error)
        else:
            messages.success(request, _("The list was copied into %(year)s.") % {"year": copy.year})
            return redirect(reverse("tasks:index", query={"list": copy.pk}))
    return render(request, "tasks/copy.html", {"form": form, "task_list": task_list}, status=status)


@role_required(TASK_WORKERS)
@require_GET
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return render_task_page(request, pk)


#: A handover's colour → badge modifier (the words say it too).
_COLOUR_BADGE = {"red": "bad", "yellow": "warn", "green": "ok", "none": "muted"}


def _instructions(task: Task, user, today) -> list:
    """The task's instructions, each with its badge and what this person does next."""
    instructions = selectors.instructions_of(task)
    for instruction in instructions:
        handover = instruction.handover
        if handover is None:
            continue
        colour = handover.colour(today)
        instruction.badge = _COLOUR_BADGE.get(colour, "muted")  # type: ignore[attr-defined]
        instruction.state_label = (  # type: ignore[attr-defined]
            handover.get_state_display()
            if colour in ("none", "green")
            else _("Overdue")
            if colour == "red"
            else _("Due soon")
        )
        instruction.to_act = (  # type: ignore[attr-defined]
            "answer"
            if handover.is_with_unit and user.role == Role.UNIT and user.unit_id == handover.unit_id
            else "rate"
            if handover.state == "answered" and handover.rater_id == user.pk
            else ""
        )
    return instructions


def render_task_page(
    request: HttpRequest,
    pk: int,
    *,
    instruction_form: InstructionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """A task's page (with a posted instruction form, when it was refused)."""
    task = task_or_404(request, pk, reasons=True)
    user = request.user
    today = timezone.localdate()
    may_report = user.role == Role.UNIT and (
        user.unit_id == task.lead_unit_id
        or any(u.pk == user.unit_id for u in task.cooperating_units.all())
    )
    reports = list(task.reports.all())
    if user.role == Role.STAFF:
        attach_review_forms(reports)
    # The month history: every report, and an empty slot for each month due whose
    # lead-unit report was never sent (newest first).
    months = [{"month": r.month, "report": r} for r in reports] + [
        {"month": m, "report": None} for m in missing_report_months(task, reports, today)
    ]
    months.sort(key=lambda entry: entry["month"], reverse=True)
    context = {
        "task": task,
        "status": TaskStatus(task.status),
        "status_reason": status_reason(task, today),
        "month_history": months,
        "may_fill_gaps": may_report and user.unit_id == task.lead_unit_id,
        "badge": STATUS_BADGE[task.status],
        "timeline": selectors.report_timeline(task),
        "history": history_of(task),
        "may_report": may_report,
        "is_staff": user.role == Role.STAFF or user.is_superuser,
        "milestone_form": MilestoneForm(),
        "today": today,
        "instructions": _instructions(task, user, today),
        "may_instruct": may_instruct(user),
    }
    if context["may_instruct"]:
        context["instruction_form"] = instruction_form or InstructionForm(today=today)
    return render(request, "tasks/task_detail.html", context, status=status)


@role_required(Role.STAFF)
def task_edit(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_or_404(request, pk)
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        # The form has changed ``task`` in memory; the service works from the database row.
        fresh = get_visible_or_404(Task.objects.all(), request.user, pk=task.pk)
        try:
            services.task_update(
                task=fresh,
                version=form.cleaned_data["version"],
                by=request.user,
                cooperating_units=form.cleaned_data["cooperating_units"],
                **form.task_fields(),
            )
        except TasksError as error:
            status = show_error(form, error)
            return render(
                request, "tasks/task_edit.html", {"form": form, "task": fresh}, status=status
            )
        messages.success(request, _("The task was saved."))
        return redirect("tasks:task", pk=task.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "tasks/task_edit.html", {"form": form, "task": task}, status=status)


@role_required(Role.STAFF)
def task_create(request: HttpRequest, pk: int) -> HttpResponse:
    task_list = get_visible_or_404(TaskList.objects.all(), request.user, pk=pk)
    next_number = (
        task_list.tasks.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    form = TaskCreateForm(
        request.POST or None,
        instance=Task(task_list=task_list),
        initial={"number": next_number},
    )
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        try:
            task = services.task_create(
                task_list=task_list,
                number=form.cleaned_data["number"],
                cooperating_units=form.cleaned_data["cooperating_units"],
                **form.task_fields(),
            )
        except TasksError as error:
            status = show_error(form, error)
        else:
            messages.success(request, _("The task was added."))
            return redirect("tasks:task", pk=task.pk)
    return render(
        request, "tasks/task_create.html", {"form": form, "task_list": task_list}, status=status
    )


@role_required(Role.STAFF)
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    task = get_visible_or_404(Task.objects.all(), request.user, pk=pk)
    form = MilestoneForm(request.POST)
    if form.is_valid():
        services.milestone_add(task=task, **form.cleaned_data)
        messages.success(request, _("The milestone was added."))
    else:
        messages.error(request, _("The milestone needs a title and a due date."))
    return redirect("tasks:task", pk=task.pk)


@role_required(Role.STAFF)
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    milestone = get_visible_or_404(Milestone.objects.all(), request.user, pk=pk)
    try:
        services.milestone_complete(milestone=milestone)
    except TasksError as error:
        show_message(request, error)
    return redirect("tasks:task", pk=milestone.task_id)


@role_required(TASK_WORKERS)
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = get_visible_or_404(Evidence.objects.all(), request.user, pk=pk)
    inline = evidence.content_type in ("application/pdf", "image/jpeg", "image/png")
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=not inline,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
