"""The pages of whoever runs a session: sessions, check-in, polls, slips, tallies."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ballots import selectors
from ballots.attendance import absences
from ballots.forms import (
    LEVEL_OF_REGION,
    CheckInForm,
    PollForm,
    SearchForm,
    SessionForm,
    SlipsForm,
    TallyForm,
)
from ballots.models import CongressSession, PaperTally, Poll
from ballots.services import (
    BallotError,
    check_in,
    check_in_undo,
    codes_issue,
    grouped,
    has_quorum,
    paper_tally_confirm,
    paper_tally_enter,
    poll_close,
    poll_create,
    poll_open,
    poll_publish,
    poll_result,
    publication_blockers,
    receipts,
    runoff_create,
    session_close,
    session_create,
    session_open,
)
from congress_portal.errors import show_error, show_message
from deputies.models import Deputy, Level
from organisation.access import get_visible_or_404, role_required
from organisation.roles import BALLOT_RUNNERS, REGION_READERS


def _session(request: HttpRequest, pk: int) -> CongressSession:
    return get_visible_or_404(CongressSession.objects.select_related("region"), request.user, pk=pk)


def _poll(request: HttpRequest, pk: int) -> Poll:
    poll = (
        Poll.objects.select_related("session__region", "runoff_of")
        .filter(pk=pk, session__in=CongressSession.objects.visible_to(request.user))
        .first()
    )
    if poll is None:
        raise Http404
    return poll


@role_required(BALLOT_RUNNERS)
def index(request: HttpRequest) -> HttpResponse:
    regions = selectors.regions_run_by(request.user)
    form = SessionForm(request.POST or None, regions=regions)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                session = session_create(
                    name=data["name"],
                    region=data["region"],
                    level=LEVEL_OF_REGION[data["region"].level],
                    date=data["date"],
                    body=data["body"],
                    by=request.user,
                )
            except BallotError as error:
                status = show_error(form, error)
            else:
                return redirect("ballots:session", pk=session.pk)
    sessions = list(selectors.sessions_for(request.user)[:200])
    return render(
        request, "ballots/index.html", {"sessions": sessions, "form": form}, status=status
    )


def _session_page(request, session, *, poll_form=None, status=200) -> HttpResponse:
    polls = list(selectors.polls_of(session))
    roll = session.roll.count()
    present = session.check_ins.filter(on_leave=False).count()
    leave = session.check_ins.filter(on_leave=True).count()
    return render(
        request,
        "ballots/session.html",
        {
            "session": session,
            "polls": polls,
            "roll": roll,
            "present": present,
            "leave": leave,
            "quorum": has_quorum(present=present, roll=roll),
            "poll_form": poll_form or PollForm(),
        },
        status=status,
    )


@role_required(BALLOT_RUNNERS)
def session(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    if request.method == "POST":
        form = PollForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                poll = poll_create(
                    session=found,
                    title=data["title"],
                    method=data["method"],
                    slots=data["slots"],
                    options=data["options"],
                    by=request.user,
                )
            except BallotError as error:
                status = show_error(form, error)
            else:
                return redirect("ballots:poll", pk=poll.pk)
        return _session_page(request, found, poll_form=form, status=status)
    return _session_page(request, found)


def _act(request: HttpRequest, action, **kwargs) -> int | None:
    """Run a service for an action without a form; its refusal is a message."""
    try:
        action(by=request.user, **kwargs)
    except BallotError as error:
        return show_message(request, error)
    return None


@role_required(BALLOT_RUNNERS)
@require_POST
def session_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    status = _act(request, session_open, session=found)
    if status:
        return _session_page(request, found, status=status)
    messages.success(request, _("The session is open and its roll frozen."))
    return redirect("ballots:check_in", pk=found.pk)


@role_required(BALLOT_RUNNERS)
@require_POST
def session_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    status = _act(request, session_close, session=found)
    if status:
        return _session_page(request, found, status=status)
    messages.success(request, _("The session is closed."))
    return redirect("ballots:session", pk=found.pk)


@role_required(BALLOT_RUNNERS)
def check_in_page(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    search = SearchForm(request.GET or None)
    q = search.cleaned_data["q"] if search.is_valid() else ""
    rows = selectors.roll(found, q=q)
    context = {
        "session": found,
        "rows": rows,
        "search": search,
        "q": q,
        "roll": found.roll.count(),
        "present": found.check_ins.filter(on_leave=False).count(),
        "leave": found.check_ins.filter(on_leave=True).count(),
    }
    return render(request, "ballots/check_in.html", context)


@role_required(BALLOT_RUNNERS)
@require_POST
def check_in_set(request: HttpRequest, pk: int) -> HttpResponse:
    found = _session(request, pk)
    form = CheckInForm(request.POST)
    if not form.is_valid():
        return HttpResponse(_("Choose a deputy and a state."), status=400)
    data = form.cleaned_data
    deputy = Deputy.objects.filter(pk=data["deputy"]).first()
    status = 200
    if deputy is None:
        status = show_message(request, BallotError(_("This deputy is not on the session's roll.")))
    else:
        try:
            if data["state"] == "none":
                check_in_undo(session=found, deputy=deputy, by=request.user)
            else:
                check_in(
                    session=found,
                    deputy=deputy,
                    by=request.user,
                    on_leave=data["state"] == "leave",
                )
        except BallotError as error:
            status = show_message(request, error)
    if request.htmx:
        row = selectors.roll_row(found, data["deputy"])
        if row is None:
            return HttpResponse(status=status if status != 200 else 400)
        return render(
            request,
            "ballots/check_in.html#row",
            {
                "session": found,
                "row": row,
                "q": data["q"],
                "present": found.check_ins.filter(on_leave=False).count(),
                "leave": found.check_ins.filter(on_leave=True).count(),
                "roll": found.roll.count(),
                "oob": True,
            },
            status=status,
        )
    if status != 200:
        return check_in_page(request, pk)
    url = reverse(
        "ballots:check_in", args=[found.pk], query={"q": data["q"]} if data["q"] else None
    )
    return redirect(f"{url}#d{deputy.pk}")  # type: ignore[union-attr]


def _poll_page(request, poll, *, tally_form=None, status=200) -> HttpResponse:
    result = poll_result(poll)
    counts = selectors.code_counts(poll)
    tallies = list(selectors.tallies_of(poll))
    return render(
        request,
        "ballots/poll.html",
        {
            "poll": poll,
            "session": poll.session,
            "result": result,
            "counts": counts,
            "tallies": tallies,
            "tally_form": tally_form or TallyForm(poll=poll),
            "slips_form": SlipsForm(),
            "blockers": publication_blockers(poll) if poll.state == Poll.State.CLOSED else [],
            "receipts": [grouped(r) for r in receipts(poll)],
            "quorum": has_quorum(present=result.present, roll=result.roll),
            "runoffs": list(poll.runoffs.all()),
        },
        status=status,
    )


@role_required(BALLOT_RUNNERS)
def poll(request: HttpRequest, pk: int) -> HttpResponse:
    return _poll_page(request, _poll(request, pk))


def _poll_action(request: HttpRequest, pk: int, action, done: str) -> HttpResponse:
    found = _poll(request, pk)
    status = _act(request, action, poll=found)
    if status:
        return _poll_page(request, found, status=status)
    messages.success(request, done)
    return redirect("ballots:poll", pk=found.pk)


@role_required(BALLOT_RUNNERS)
@require_POST
def poll_open_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _poll_action(request, pk, poll_open, _("Voting is open."))


@role_required(BALLOT_RUNNERS)
@require_POST
def poll_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _poll_action(request, pk, poll_close, _("Voting is closed; unused codes are void."))


@role_required(BALLOT_RUNNERS)
@require_POST
def poll_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _poll_action(request, pk, poll_publish, _("The tally and the receipts are published."))


@role_required(BALLOT_RUNNERS)
@require_POST
def runoff(request: HttpRequest, pk: int) -> HttpResponse:
    found = _poll(request, pk)
    try:
        made = runoff_create(poll=found, by=request.user)
    except BallotError as error:
        return _poll_page(request, found, status=show_message(request, error))
    messages.success(request, _("The run-off vote is ready: open it and print its slips."))
    return redirect("ballots:poll", pk=made.pk)


@role_required(BALLOT_RUNNERS)
@require_POST
def slips(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue the codes and answer the A4 PDF of slips at once: the plain codes exist only
    in this response."""
    found = _poll(request, pk)
    form = SlipsForm(request.POST)
    if not form.is_valid():
        return _poll_page(request, found, status=400)
    spares = form.cleaned_data["spares"]
    try:
        codes = codes_issue(poll=found, by=request.user, spares=3 if spares is None else spares)
    except BallotError as error:
        return _poll_page(request, found, status=show_message(request, error))
    pdf = _slips_pdf(request, found, codes)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="slips-{found.pk}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


def _slips_pdf(request: HttpRequest, poll: Poll, codes: list[str]) -> bytes:
    import segno
    from weasyprint import HTML

    base = settings.PORTAL_BASE_URL.rstrip("/") + reverse("vote:index")
    slips = [
        {
            "code": grouped(code),
            "qr": segno.make(f"{base}#{code}", error="m").svg_data_uri(scale=4, border=1),
        }
        for code in codes
    ]
    html = render_to_string(
        "ballots/slips.html", {"poll": poll, "session": poll.session, "slips": slips, "url": base}
    )
    return HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()


@role_required(BALLOT_RUNNERS)
@require_POST
def tally(request: HttpRequest, pk: int) -> HttpResponse:
    found = _poll(request, pk)
    form = TallyForm(request.POST, poll=found)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            paper_tally_enter(
                poll=found,
                by=request.user,
                issued=data["issued"],
                returned=data["returned"],
                invalid=data["invalid"],
                votes=form.votes(),
            )
        except BallotError as error:
            status = show_error(form, error)
        else:
            messages.success(request, _("The count is entered: a second teller confirms it."))
            return redirect("ballots:poll", pk=found.pk)
    return _poll_page(request, found, tally_form=form, status=status)


@role_required(BALLOT_RUNNERS)
@require_POST
def tally_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    found = (
        PaperTally.objects.select_related("poll__session")
        .filter(pk=pk, poll__session__in=CongressSession.objects.visible_to(request.user))
        .first()
    )
    if found is None:
        raise Http404
    try:
        paper_tally_confirm(tally=found, by=request.user)
    except BallotError as error:
        return _poll_page(request, found.poll, status=show_message(request, error))
    messages.success(request, _("The paper count is confirmed."))
    return redirect("ballots:poll", pk=found.poll_id)


@role_required(REGION_READERS)
def absences_page(request: HttpRequest) -> HttpResponse:
    """Deputies who missed two sessions of their congress without leave (Law on
    Deputies: the mandate ends), in the reader's region."""
    rows = list(absences(request.user)[:500])
    levels = dict(Level.choices)
    for row in rows:
        row["level_label"] = levels.get(row["session__level"], row["session__level"])
    return render(request, "ballots/absences.html", {"rows": rows})
