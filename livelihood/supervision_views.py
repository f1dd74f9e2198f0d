"""The 督 and 评 pages: a project's inspections, one inspection with its findings, and
a session's evaluation of finished projects."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ballots.models import Poll
from ballots.services import may_run
from congress_portal.errors import show_error
from livelihood import selectors
from livelihood.models import Inspection, Proposal
from livelihood.services import LivelihoodError
from livelihood.supervision import (
    evaluable,
    evaluation_poll_create,
    evaluation_record,
    evaluations_of,
    finding_add,
    inspection_record,
    may_inspect,
    project_of,
    seated,
)
from livelihood.supervision_forms import EvaluationForm, FindingForm, InspectionForm
from organisation.access import get_visible_or_404, role_required
from organisation.roles import LIVELIHOOD_KEEPERS, LIVELIHOOD_READERS


@role_required(LIVELIHOOD_READERS)
def inspections(request: HttpRequest, pk: int) -> HttpResponse:
    """A project's inspection visits; its office or its deputies record one."""
    proposal = get_visible_or_404(Proposal, request.user, pk=pk)
    may = may_inspect(request.user, proposal) and proposal.status == Proposal.Status.CHOSEN
    form = None
    status = 200
    if may:
        form = InspectionForm(request.POST or None, deputies=seated(proposal, timezone.localdate()))
        if request.method == "POST":
            status = 400
            if form.is_valid():
                try:
                    visit = inspection_record(
                        proposal=proposal,
                        date=form.cleaned_data["date"],
                        deputies=list(form.cleaned_data["deputies"]),
                        notes=form.cleaned_data["notes"],
                        by=request.user,
                    )
                except LivelihoodError as error:
                    status = show_error(form, error)
                else:
                    messages.success(request, _("The inspection is recorded."))
                    return redirect(visit)
    elif request.method == "POST":
        return HttpResponse(status=403)
    visits = proposal.inspections.prefetch_related("deputies", "findings__handover")
    return render(
        request,
        "livelihood/inspections.html",
        {"proposal": proposal, "project": project_of(proposal), "visits": visits, "form": form},
        status=status,
    )


@role_required(LIVELIHOOD_READERS)
def inspection(request: HttpRequest, pk: int) -> HttpResponse:
    """One visit, its findings (each a handover to the unit) and a form to add one."""
    visible = Proposal.objects.visible_to(request.user)
    visit = get_object_or_404(
        Inspection.objects.filter(proposal__in=visible).select_related("proposal"), pk=pk
    )
    may = may_inspect(request.user, visit.proposal)
    form = FindingForm(request.POST or None) if may else None
    status = 200
    if request.method == "POST":
        if form is None:
            return HttpResponse(status=403)
        status = 400
        if form.is_valid():
            try:
                finding_add(
                    inspection=visit,
                    text=form.cleaned_data["text"],
                    unit=form.cleaned_data["unit"],
                    by=request.user,
                )
            except LivelihoodError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The finding is handed to the unit."))
                return redirect(visit)
    return render(
        request,
        "livelihood/inspection.html",
        {
            "visit": visit,
            "proposal": visit.proposal,
            "findings": visit.findings.select_related("unit", "handover"),
            "deputies": visit.deputies.all(),
            "form": form,
        },
        status=status,
    )


@role_required(LIVELIHOOD_KEEPERS)
def evaluate(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's evaluation: pick the finished projects into a "rate" poll; once its
    tally is published, record each project's result."""
    session = get_object_or_404(selectors.sessions_for(request.user), pk=pk)
    runs = may_run(request.user, session)
    projects = evaluable(session)
    form = EvaluationForm(request.POST or None, projects=projects)
    status = 200
    if request.method == "POST":
        if not runs:
            return HttpResponse(status=403)
        status = 400
        record = request.POST.get("record", "")
        if record:
            if not record.isdigit():
                raise Http404
            poll = get_object_or_404(Poll, pk=record, session=session, method=Poll.Method.RATE)
            try:
                evaluation_record(poll=poll)
            except LivelihoodError as error:
                messages.error(request, error.message)
            else:
                messages.success(request, _("The evaluation result is recorded and public."))
                return redirect("livelihood:evaluate", pk=session.pk)
        elif form.is_valid():
            try:
                poll = evaluation_poll_create(
                    session=session, proposals=form.picked(), by=request.user
                )
            except LivelihoodError as error:
                status = show_error(form, error)
            else:
                messages.success(request, _("The evaluation vote is ready."))
                return redirect("ballots:poll", pk=poll.pk)
    rows = evaluations_of(session)
    polls = {e.poll_id: e.poll for e in rows}
    return render(
        request,
        "livelihood/evaluate.html",
        {
            "session": session,
            "runs": runs,
            "form": form if projects else None,
            "rows": rows,
            "polls": list(polls.values()),
            "unrecorded": [
                p
                for p in polls.values()
                if p.state == Poll.State.PUBLISHED
                and any(e.recorded_on is None for e in rows if e.poll_id == p.pk)
            ],
        },
        status=status,
    )
