"""The pages of the chosen projects being carried out 办: the list (a unit contact's is
their unit's), one project (money, milestones, reports; the office allocates and sets the
unit and budget, the unit adds milestones), the phone form of a progress report, and the
photos, each answered through the person's scope."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress_portal.errors import show_error
from livelihood import delivery
from livelihood.forms import AllocationForm, MilestoneForm, ProgressForm, ProjectSetForm
from livelihood.models import Milestone, ProgressPhoto, Project
from livelihood.services import LivelihoodError
from livelihood.views import _nav
from organisation.access import get_visible_or_404, has_role, role_required
from organisation.models import Unit
from organisation.roles import (
    LIVELIHOOD_KEEPERS,
    LIVELIHOOD_PROJECT_READERS,
    LIVELIHOOD_PROJECT_WORKERS,
)

PAGE_SIZE = 50


def _projects(user):
    return Project.objects.visible_to(user).select_related("proposal__region", "unit")


@role_required(LIVELIHOOD_PROJECT_READERS)
def projects(request: HttpRequest) -> HttpResponse:
    """民生实事: the chosen projects in scope, late ones first."""
    user = request.user
    today = timezone.localdate()
    rows = _projects(user)
    state = request.GET.get("state", "")
    if state in Project.State.values:
        rows = rows.filter(state=state)
    late_ids = set(rows.late(today).values_list("pk", flat=True))
    page = Paginator(rows.order_by("state", "-proposal__year", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for project in page.object_list:
        project.is_late = project.pk in late_ids
    return render(
        request,
        "livelihood/projects.html",
        {
            **_nav(user),
            "page": page,
            "rows": page.object_list,
            "state": state,
            "states": Project.State.choices,
            "late_count": len(late_ids),
        },
    )


def _project_context(request: HttpRequest, project: Project, **forms) -> dict:
    user = request.user
    today = timezone.localdate()
    milestones = list(project.milestones.all())
    for m in milestones:
        m.late = m.is_late(today)
    may_report = project.state != Project.State.COMPLETED and delivery.may_report(user, project)
    may_keep = delivery.may_keep_project(user, project)
    pools = delivery.pools_for(project)
    allocatable = [p.pk for p in pools if delivery.may_allocate(user, p)]
    context = {
        **_nav(user),
        "project": project,
        "proposal": project.proposal,
        "milestones": milestones,
        "reports": project.reports.select_related("by").prefetch_related("photos"),
        "allocations": project.allocations.select_related("pool__region", "by"),
        "may_report": may_report,
        "may_keep": may_keep,
        "left_to_spend": project.allocated - project.spent,
    }
    if may_report:
        context["milestone_form"] = forms.get("milestone_form") or MilestoneForm()
    if may_keep:
        context["set_form"] = forms.get("set_form") or ProjectSetForm(
            initial={"unit": project.unit_id, "budget": project.budget, "version": project.version},
            units=Unit.objects.visible_to(user).order_by("name")
            if not user.sees_everything
            else Unit.objects.order_by("name"),
        )
    if allocatable and project.state != Project.State.COMPLETED:
        context["allocation_form"] = forms.get("allocation_form") or AllocationForm(
            pools=pools.filter(pk__in=allocatable)
        )
    return context


@role_required(LIVELIHOOD_PROJECT_READERS)
def project(request: HttpRequest, pk: int) -> HttpResponse:
    found = get_visible_or_404(_projects(request.user), request.user, pk=pk)
    return render(request, "livelihood/project.html", _project_context(request, found))


@role_required(LIVELIHOOD_PROJECT_WORKERS)
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """The phone form: what was done, money spent, photos; or the completion record."""
    user = request.user
    found = get_visible_or_404(_projects(user), user, pk=pk)
    if not delivery.may_report(user, found):
        return HttpResponse(
            _("Only the responsible unit or the congress office works on this project."),
            status=403,
        )
    status = 200
    if request.method == "POST":
        form = ProgressForm(request.POST, request.FILES)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                delivery.progress_report(
                    project=found,
                    by=user,
                    text=data["text"],
                    spent=data["spent"] or 0,
                    photos=data["photos"],
                    completes=data["completes"],
                    version=data["version"],
                )
            except LivelihoodError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The progress is reported."))
                return redirect(found)
    else:
        form = ProgressForm(initial={"version": found.version, "spent": 0})
    return render(
        request,
        "livelihood/project_report.html",
        {
            **_nav(user),
            "project": found,
            "form": form,
            "left_to_spend": found.allocated - found.spent,
        },
        status=status,
    )


@role_required(LIVELIHOOD_PROJECT_WORKERS)
@require_POST
def project_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """``allocate`` (the paying region's office), ``set`` (the office: unit and budget),
    ``milestone`` (the unit or the office)."""
    user = request.user
    found = get_visible_or_404(_projects(user), user, pk=pk)
    if action == "allocate" and not has_role(user, LIVELIHOOD_KEEPERS):
        return HttpResponse(status=403)
    if action == "set" and not has_role(user, LIVELIHOOD_KEEPERS):
        return HttpResponse(status=403)
    forms: dict = {}
    form: Form
    try:
        if action == "allocate":
            form = AllocationForm(request.POST, pools=delivery.pools_for(found))
            forms["allocation_form"] = form
            if form.is_valid():
                delivery.allocation_make(
                    pool=form.cleaned_data["pool"],
                    project=found,
                    amount=form.cleaned_data["amount"],
                    by=user,
                )
                messages.success(request, _("The money is allocated."))
                return redirect(found)
        elif action == "set":
            form = ProjectSetForm(request.POST, units=Unit.objects.all())
            forms["set_form"] = form
            if form.is_valid():
                delivery.project_set(
                    project=found,
                    by=user,
                    version=form.cleaned_data["version"],
                    unit=form.cleaned_data["unit"],
                    budget=form.cleaned_data["budget"],
                )
                messages.success(request, _("The project is saved."))
                return redirect(found)
        elif action == "milestone":
            form = MilestoneForm(request.POST)
            forms["milestone_form"] = form
            if form.is_valid():
                delivery.milestone_add(
                    project=found,
                    by=user,
                    title=form.cleaned_data["title"],
                    due=form.cleaned_data["due"],
                )
                messages.success(request, _("The milestone is added."))
                return redirect(found)
        else:
            raise Http404
        status = 400
    except LivelihoodError as error:
        status = show_error(form, error)
    return render(
        request,
        "livelihood/project.html",
        _project_context(request, found, **forms),
        status=status,
    )


@role_required(LIVELIHOOD_PROJECT_WORKERS)
@require_POST
def milestone_done(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    milestone = _milestone(user, pk)
    try:
        delivery.milestone_done(milestone=milestone, by=user)
    except LivelihoodError as error:
        messages.error(request, error.message)
        return redirect(milestone.project)
    messages.success(request, _("The milestone is done."))
    return redirect(milestone.project)


def _milestone(user, pk: int) -> Milestone:
    found = (
        Milestone.objects.filter(project__in=_projects(user), pk=pk)
        .select_related("project__proposal__region")
        .first()
    )
    if found is None:
        raise Http404
    return found


@role_required(LIVELIHOOD_PROJECT_READERS)
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A progress photo, only to those who see its project (404 to anyone else)."""
    found = get_visible_or_404(ProgressPhoto.objects.all(), request.user, pk=pk)
    try:
        file = found.image.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(file)
    response["Cache-Control"] = "private, max-age=3600"
    return response
