"""The task pages. Thin: forms read the input, selectors read, services write."""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress_portal.errors import show_error
from organisation.access import get_visible_or_404, role_required
from organisation.models import Unit
from organisation.roles import FOLLOW_UP_CLOSERS, OFFICE, TASK_WORKERS, Role
from organisation.selectors import history_of
from tasks import excel, selectors, services
from tasks.forms import (
    AssessmentFilterForm,
    AssessmentForm,
    CopyForm,
    FollowUpCloseForm,
    FollowUpForm,
    ImportConfirmForm,
    ImportForm,
    MilestoneForm,
    ProgressReportForm,
    ReviewForm,
    TaskCreateForm,
    TaskFilterForm,
    TaskForm,
    VisitForm,
    report_months,
)
from tasks.models import (
    Evidence,
    FollowUpItem,
    Milestone,
    ProgressReport,
    SupervisionVisit,
    Task,
    TaskList,
)
from tasks.services import TasksError
from tasks.status import STATUS_BADGE, TaskStatus

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _back(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


def _filtered_tasks(request):
    """The filter form of /tasks/ and the tasks it selects (``None`` when the input is bad)."""
    lists = selectors.task_lists_for(request.user)
    form = TaskFilterForm(request.GET, lists=lists, user=request.user)
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
def index(request):
    form, tasks = _filtered_tasks(request)
    if tasks is None:
        response = render(request, "tasks/index.html", {"form": form, "groups": []})
        response.status_code = 400
        return response
    task_list = form.cleaned_data["list"]
    today = timezone.localdate()
    groups, counts = [], {}
    if task_list is not None:
        groups = selectors.group_by_aspect(
            list(tasks), selectors.aspect_progress(task_list, request.user)
        )
        counts = selectors.status_counts(today=today, task_list=task_list, user=request.user)
    shown = 0
    for group in groups:
        for task in group.tasks:
            task.status_label = TaskStatus(task.status).label
            task.badge = STATUS_BADGE[task.status]
            shown += 1
    context = {
        "form": form,
        "task_list": task_list,
        "groups": groups,
        "shown": shown,
        "status_counts": [(TaskStatus(s), counts.get(s, 0), STATUS_BADGE[s]) for s in TaskStatus],
        "badges": STATUS_BADGE,
        "query": request.GET.urlencode(),
        "lists": form.fields["list"].queryset,
    }
    template = "tasks/index.html#results" if request.htmx else "tasks/index.html"
    return render(request, template, context)


@role_required(TASK_WORKERS)
@require_GET
def export(request):
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
def template_download(request):
    response = HttpResponse(excel.template_workbook(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="task-list-template.xlsx"'
    return response


@role_required(Role.STAFF)
def import_upload(request):
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
def import_confirm(request):
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
        messages.error(request, str(error))
        return redirect("tasks:import")
    default_storage.delete(path)
    messages.success(
        request,
        _("Imported %(title)s: %(n)s tasks.")
        % {"title": task_list.title, "n": task_list.tasks.count()},
    )
    return redirect(f"{reverse('tasks:index')}?list={task_list.pk}")


@role_required(Role.STAFF)
def list_copy(request, pk: int):
    task_list = get_visible_or_404(TaskList.objects.all(), request.user, pk=pk)
    form = CopyForm(request.POST or None, initial={"year": task_list.year + 1})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.tasklist_copy(
                task_list=task_list,
                year=form.cleaned_data["year"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except TasksError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The list was copied into %(year)s.") % {"year": copy.year})
            return redirect(f"{reverse('tasks:index')}?list={copy.pk}")
    return render(request, "tasks/copy.html", {"form": form, "task_list": task_list})


def _task_or_404(request, pk: int) -> Task:
    return get_visible_or_404(
        selectors.task_page(request.user, pk).with_status(timezone.localdate()), request.user, pk=pk
    )


def _attach_review_forms(reports) -> None:
    """Give each submitted report its inline accept/return form (for staff)."""
    for report in reports:
        report.review_form = None
        if report.status == ProgressReport.Status.SUBMITTED:
            report.review_form = ReviewForm(
                initial={"version": report.version}, prefix=f"r{report.pk}"
            )


@role_required(TASK_WORKERS)
@require_GET
def task_detail(request, pk: int):
    task = _task_or_404(request, pk)
    user = request.user
    may_report = user.role == Role.UNIT and (
        user.unit_id == task.lead_unit_id
        or any(u.pk == user.unit_id for u in task.cooperating_units.all())
    )
    if user.role == Role.STAFF:
        _attach_review_forms(task.reports.all())
    context = {
        "task": task,
        "status": TaskStatus(task.status),
        "badge": STATUS_BADGE[task.status],
        "timeline": selectors.report_timeline(task),
        "history": history_of(task),
        "may_report": may_report,
        "is_staff": user.role == Role.STAFF or user.is_superuser,
        "milestone_form": MilestoneForm(),
        "today": timezone.localdate(),
    }
    return render(request, "tasks/task_detail.html", context)


@role_required(Role.STAFF)
def task_edit(request, pk: int):
    task = _task_or_404(request, pk)
    form = TaskForm(request.POST or None, instance=task)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        units = data.pop("cooperating_units")
        # The form has changed ``task`` in memory; the service works from the database row.
        fresh = get_visible_or_404(Task.objects.all(), request.user, pk=task.pk)
        try:
            services.task_update(
                task=fresh, version=version, cooperating_units=units, by=request.user, **data
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
def task_create(request, pk: int):
    task_list = get_visible_or_404(TaskList.objects.all(), request.user, pk=pk)
    next_number = (
        task_list.tasks.order_by("-number").values_list("number", flat=True).first() or 0
    ) + 1
    form = TaskCreateForm(
        request.POST or None,
        instance=Task(task_list=task_list),
        initial={"number": next_number},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        units = data.pop("cooperating_units")
        try:
            task = services.task_create(task_list=task_list, cooperating_units=units, **data)
        except TasksError as error:
            form.add_error(error.field, str(error))
        else:
            messages.success(request, _("The task was added."))
            return redirect("tasks:task", pk=task.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "tasks/task_create.html", {"form": form, "task_list": task_list}, status=status
    )


@role_required(Role.STAFF)
@require_POST
def milestone_add(request, pk: int):
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
def milestone_done(request, pk: int):
    milestone = get_visible_or_404(Milestone.objects.all(), request.user, pk=pk)
    try:
        services.milestone_complete(milestone=milestone)
    except TasksError as error:
        messages.error(request, str(error))
    return redirect("tasks:task", pk=milestone.task_id)


def _report_form_initial(task: Task, unit: Unit, months: list, wanted: str) -> dict:
    """The form opened on a month's report as it now is (text, share), with the versions
    of all the unit's reports on the task. The month is the one asked for, else the
    latest returned report's (it is due again), else the current month."""
    reports = {r.month: r for r in selectors.reports_of(task=task, unit=unit)}
    returned = [m for m, r in reports.items() if r.status == ProgressReport.Status.RETURNED]
    month = next(
        (m for m in months if m.isoformat() == wanted),
        max(returned) if returned else months[0],
    )
    initial = {
        "month": month.isoformat(),
        "versions": ProgressReportForm.encode_versions({m: r.version for m, r in reports.items()}),
    }
    if month in reports:
        initial.update(text=reports[month].text, percent=reports[month].percent)
    return initial


@role_required(Role.UNIT)
def report_submit(request, pk: int):
    task = _task_or_404(request, pk)
    unit: Unit = request.user.unit
    months = report_months(task.task_list, timezone.localdate())
    form = ProgressReportForm(
        request.POST or None,
        request.FILES or None,
        task_list=task.task_list,
        initial=_report_form_initial(task, unit, months, request.GET.get("month", "")),
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.progress_report_submit(
                    task=task,
                    unit=unit,
                    month=data["month"],
                    text=data["text"],
                    percent=data["percent"],
                    files=data["files"],
                    version=data["version"],
                    by=request.user,
                )
            except TasksError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("Your report was submitted."))
                return redirect("tasks:task", pk=task.pk)
    return render(request, "tasks/report_form.html", {"form": form, "task": task}, status=status)


@role_required(Role.STAFF)
@require_POST
def report_review(request, pk: int):
    report = get_visible_or_404(
        ProgressReport.objects.select_related("task", "unit"), request.user, pk=pk
    )
    form = ReviewForm(request.POST, prefix=f"r{report.pk}")
    error = ""
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["action"] == ReviewForm.ACCEPT:
                services.progress_report_accept(
                    report=report, version=data["version"], by=request.user, comment=data["comment"]
                )
            else:
                services.progress_report_return(
                    report=report, version=data["version"], by=request.user, comment=data["comment"]
                )
        except TasksError as exc:
            error = str(exc)
    else:
        error = "; ".join(e for errors in form.errors.values() for e in errors)
    if request.htmx:
        # Read again (through the scoped helper) as the review left it.
        report = get_visible_or_404(
            ProgressReport.objects.select_related(
                "unit", "submitted_by", "reviewed_by", "task"
            ).prefetch_related("evidence"),
            request.user,
            pk=report.pk,
        )
        review_form = None
        if report.status == ProgressReport.Status.SUBMITTED:
            review_form = (
                form
                if error
                else ReviewForm(initial={"version": report.version}, prefix=f"r{report.pk}")
            )
        return render(
            request,
            "tasks/_report_card.html",
            {"report": report, "review_form": review_form, "error": error, "show_task": True},
            status=409 if error else 200,
        )
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("The review was saved."))
    return redirect(_back(request, reverse("tasks:task", args=[report.task_id])))


@role_required(Role.STAFF)
@require_GET
def review_queue(request):
    reports = list(selectors.review_queue(request.user))
    _attach_review_forms(reports)
    return render(request, "tasks/reviews.html", {"reports": reports})


@role_required(TASK_WORKERS)
@require_GET
def evidence_download(request, pk: int):
    evidence = get_visible_or_404(Evidence.objects.all(), request.user, pk=pk)
    inline = evidence.content_type in ("application/pdf", "image/jpeg", "image/png")
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=not inline,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


# --- Supervision --------------------------------------------------------------------------


@role_required(TASK_WORKERS)
@require_GET
def supervision(request):
    items = list(selectors.open_follow_ups(request.user))
    today = timezone.localdate()
    visits = selectors.supervision_visits() if request.user.sees_everything else []
    return render(
        request,
        "tasks/supervision.html",
        {"items": items, "visits": visits, "today": today},
    )


@role_required(OFFICE)
def visit_create(request):
    initial = {"leader": request.user.pk} if request.user.role == Role.LEADER else {}
    form = VisitForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            visit = services.supervision_visit_record(by=request.user, **form.cleaned_data)
        except TasksError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The visit was recorded. Add its findings below."))
            return redirect("tasks:visit", pk=visit.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "tasks/visit_form.html", {"form": form}, status=status)


@role_required(OFFICE)
def visit_detail(request, pk: int):
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
            try:
                services.follow_up_add(visit=visit, **form.cleaned_data)
            except TasksError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("The follow-up item was added."))
                return redirect("tasks:visit", pk=visit.pk)
        status = 400
    return render(
        request,
        "tasks/visit_detail.html",
        {"visit": visit, "form": form, "history": history_of(visit), "today": timezone.localdate()},
        status=status,
    )


@role_required(FOLLOW_UP_CLOSERS)
def follow_up_close(request, pk: int):
    item = get_visible_or_404(
        FollowUpItem.objects.select_related("visit__leader", "unit", "task"), request.user, pk=pk
    )
    form = FollowUpCloseForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_close(
                item=item,
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
                by=request.user,
            )
        except TasksError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("The item was closed."))
            return redirect("tasks:supervision")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "tasks/follow_up_close.html", {"form": form, "item": item}, status=status
    )


# --- Quarterly assessment ------------------------------------------------------------------


def _quarter_of(day) -> int:
    return (day.month - 1) // 3 + 1


@role_required(OFFICE)
@require_GET
def assessment(request):
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
def assessment_score(request, pk: int):
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
        scores = dict(form.cleaned_data)
        version = scores.pop("version") or 0
        try:
            services.assessment_record(
                task=task,
                year=filters.cleaned_data["year"],
                quarter=filters.cleaned_data["quarter"],
                by=request.user,
                version=version,
                **scores,
            )
        except TasksError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Scores saved for task %(n)s.") % {"n": task.number})
    else:
        messages.error(request, _("Each part of the rubric is scored from 0 to 25."))
    query = f"list={task.task_list_id}&year={request.POST.get('year', '')}&quarter={request.POST.get('quarter', '')}"
    return redirect(f"{reverse('tasks:assessment')}?{query}#task-{task.pk}")


@role_required(Role.LEADER)
@require_POST
def assessment_confirm(request):
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
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)s scores confirmed.") % {"n": count})
    return redirect(
        f"{reverse('tasks:assessment')}?list={data['list'].pk}&year={data['year']}&quarter={data['quarter']}"
    )
