"""The units' monthly progress reports and the staff's review queue."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from congress_portal.calendar_words import month_label
from congress_portal.errors import show_error
from organisation.access import get_visible_or_404, role_required
from organisation.models import Unit
from organisation.roles import Role
from tasks import selectors
from tasks.forms import (
    BulkAcceptForm,
    ProgressReportForm,
    ReviewForm,
    ReviewQueueFilterForm,
    report_months,
)
from tasks.models import ProgressReport
from tasks.services import TasksError
from tasks.services import progress as services
from tasks.status import due_report_month, months_due
from tasks.views import back_url, task_or_404


def attach_review_forms(reports) -> None:
    """Give each submitted report its inline accept/return form (for staff)."""
    for report in reports:
        report.review_form = None
        if report.status == ProgressReport.Status.SUBMITTED:
            report.review_form = ReviewForm(
                initial={"version": report.version}, prefix=f"r{report.pk}"
            )


def _report_form_initial(reports: dict, months: list, wanted: str) -> dict:
    """The form opened on a month's report as it now is (text, share), with the versions
    of all the unit's reports on the task. The month is the one asked for, else the month
    now due when the unit's report for it is not in (the gap the to-do list names), else
    the earliest returned report's (it is due again), else the current month."""
    returned = [m for m, r in reports.items() if r.status == ProgressReport.Status.RETURNED]
    due = due_report_month(timezone.localdate())
    due_in = due in reports and reports[due].status != ProgressReport.Status.RETURNED
    fallback = due if due in months and not due_in else min(returned, default=months[0])
    month = next((m for m in months if m.isoformat() == wanted), fallback)
    initial = {
        "month": month.isoformat(),
        "versions": ProgressReportForm.encode_versions({m: r.version for m, r in reports.items()}),
    }
    if month in reports:
        initial.update(text=reports[month].text, percent=reports[month].percent)
    return initial


@role_required(Role.UNIT)
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    task = task_or_404(request, pk)
    unit: Unit | None = request.user.unit
    if unit is None:  # an administrator passes the role check but reports for no unit
        raise PermissionDenied(_("Only the contact of a unit reports on its tasks."))
    today = timezone.localdate()
    months = report_months(task.task_list, today)
    reports = {r.month: r for r in selectors.reports_of(task=task, unit=unit)}
    # Each month says where it stands: the unit's report's status, or 未报送 when due.
    notes = {m: str(r.get_status_display()) for m, r in reports.items()}
    for month in months_due(task.task_list, today):
        notes.setdefault(month, _("Not reported"))
    form = ProgressReportForm(
        request.POST or None,
        request.FILES or None,
        task_list=task.task_list,
        month_notes=notes,
        initial=_report_form_initial(reports, months, request.GET.get("month", "")),
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
def report_review(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_visible_or_404(
        ProgressReport.objects.select_related("task", "unit"), request.user, pk=pk
    )
    form = ReviewForm(request.POST, prefix=f"r{report.pk}")
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        review = (
            services.progress_report_accept
            if data["action"] == ReviewForm.ACCEPT
            else services.progress_report_return
        )
        try:
            review(report=report, version=data["version"], by=request.user, comment=data["comment"])
        except TasksError as error:
            status = show_error(form, error)
        else:
            status = 200
    problems = [e for errors in form.errors.values() for e in errors]
    if request.htmx and form.fields["row"].clean(form["row"].data):
        return _queue_row(request, report.pk, form=form, problems=problems, status=status)
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
                if problems
                else ReviewForm(initial={"version": report.version}, prefix=f"r{report.pk}")
            )
        context = {
            "report": report,
            "review_form": review_form,
            # Shown above the card when there is no form left to show it beside a field.
            "error": "; ".join(problems) if review_form is None else "",
            "show_task": True,
        }
        return render(request, "tasks/_report_card.html", context, status=status)
    if problems:
        messages.error(request, "; ".join(problems))
    else:
        messages.success(request, _("The review was saved."))
    return redirect(back_url(request, reverse("tasks:task", args=[report.task_id])))


def _queue_row(
    request: HttpRequest, pk: int, *, form: ReviewForm, problems: list, status: int
) -> HttpResponse:
    """A row of the review queue after a review (htmx): a reviewed report leaves the queue
    (one line saying what became of it) and the running count moves; a return without a
    reason keeps the row with the message beside the box; a report that changed meanwhile
    shows as it now is, with a fresh version to review it at if it is still waiting."""
    waiting = selectors.review_queue(request.user).filter(pk=pk).first()
    if waiting is None:  # reviewed, now or meanwhile
        report = get_visible_or_404(
            ProgressReport.objects.select_related("task", "unit", "reviewed_by"),
            request.user,
            pk=pk,
        )
        context = {"report": report, "done": True, "error": "; ".join(problems)}
    else:
        conflict = status == 409
        context = {
            "report": waiting,
            "review_form": form if problems and not conflict else None,
            "error": "; ".join(problems) if conflict else "",
        }
    context.update(counts=_queue_counts(request), oob_count=True)
    return render(request, "tasks/reviews.html#row", context, status=status)


def _queue_counts(request: HttpRequest) -> dict[str, int]:
    return {
        "waiting": selectors.review_queue(request.user).count(),
        "reviewed_today": selectors.reviewed_today(request.user, today=timezone.localdate()),
    }


def _queue_context(request: HttpRequest, data) -> dict:
    """The queue as the filter in ``data`` (GET, or the bulk form's hidden copy) asks."""
    units = selectors.review_queue_units(request.user)
    filters = ReviewQueueFilterForm(data, units=units)
    unit = filters.cleaned_data["unit"] if filters.is_valid() else None
    return {
        "filters": filters,
        "unit": unit,
        "reports": list(selectors.review_queue(request.user, unit=unit)),
        "counts": _queue_counts(request),
    }


@role_required(Role.STAFF)
@require_GET
def review_queue(request: HttpRequest) -> HttpResponse:
    """Reports waiting for review, one row each: task, unit, month, the step in %, the
    evidence, 通过 in one click, 退回 with a reason; filter by unit; accept ticked rows."""
    context = _queue_context(request, request.GET)
    status = 200 if context["filters"].is_valid() else 400
    template = "tasks/reviews.html#queue" if request.htmx else "tasks/reviews.html"
    return render(request, template, context, status=status)


@role_required(Role.STAFF)
@require_POST
def reports_accept(request: HttpRequest) -> HttpResponse:
    """Accept the ticked reports at once: each one on its own (a report changed meanwhile
    is named and left as it is, the others are accepted)."""
    form = BulkAcceptForm(request.POST)
    status, notice = 400, None
    if form.is_valid():
        versions = dict(form.cleaned_data["reports"])
        found = {
            r.pk: r
            for r in ProgressReport.objects.visible_to(request.user)
            .select_related("task", "unit")
            .filter(pk__in=versions)
        }
        result = services.progress_reports_accept(
            selections=[(found[pk], version) for pk, version in versions.items() if pk in found],
            by=request.user,
        )
        refused = [
            (
                _("Task %(number)s · %(unit)s · %(month)s")
                % {
                    "number": r.task.number,
                    "unit": r.unit.short_name or r.unit.name,
                    "month": month_label(r.month),
                },
                reason,
            )
            for r, reason in result.refused
        ]
        refused += [(str(pk), _("Not found.")) for pk in versions if pk not in found]
        notice = {"accepted": len(result.accepted), "refused": refused}
        status = 409 if refused and not result.accepted else 200
    if request.htmx:
        context = _queue_context(request, request.POST)
        context.update(notice=notice, bulk_errors=form.errors.get("reports", []))
        return render(request, "tasks/reviews.html#queue", context, status=status)
    for error in form.errors.get("reports", []):
        messages.error(request, error)
    if notice:
        if notice["accepted"]:
            messages.success(
                request,
                ngettext("%(n)d report accepted.", "%(n)d reports accepted.", notice["accepted"])
                % {"n": notice["accepted"]},
            )
        for name, reason in notice["refused"]:
            messages.error(request, f"{name}: {reason}")
    return redirect(back_url(request, reverse("tasks:reviews")))
