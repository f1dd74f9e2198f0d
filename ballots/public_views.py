"""/vote/: no login, phone first, the code the only credential.

The code travels only in POST bodies: the slip's QR code carries it in the URL fragment
(``/vote/#CODE``, never sent to a server), ``static/js/portal.js`` puts it into the form,
and the form posts it. Wrong codes are counted (``ballots/limits.py``). Nothing about
the voter — address, device, time — is stored with the ballot.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters

from ballots import selectors
from ballots.forms import BallotForm, CodeForm, ReceiptForm
from ballots.limits import (
    DEVICE_COOKIE,
    DEVICE_COOKIE_AGE,
    blocked,
    device_of,
    failure_count,
    new_device_id,
)
from ballots.models import Poll
from ballots.services import (
    BallotError,
    ballot_cast,
    check_code,
    grouped,
    normalise,
    poll_result,
    receipts,
)
from congress_portal.addresses import client_address
from congress_portal.errors import show_error


def _with_device(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store"
    # Never "no-referrer": Chromium then posts forms with "Origin: null", which the CSRF
    # check refuses. Same-origin keeps the pages' addresses from other sites.
    response["Referrer-Policy"] = "same-origin"
    if DEVICE_COOKIE not in request.COOKIES:
        response.set_cookie(
            DEVICE_COOKIE,
            new_device_id(),
            max_age=DEVICE_COOKIE_AGE,
            httponly=True,
            samesite="Strict",
            secure=request.is_secure(),
        )
    return response


@login_not_required
@never_cache
@csrf_protect
@sensitive_post_parameters("code")  # an error report never shows a code
def vote(request: HttpRequest) -> HttpResponse:
    """Type (or scan) the code; then the ballot of its poll; then the receipt."""
    address = client_address(request)
    device = device_of(request.COOKIES.get(DEVICE_COOKIE), address)
    code_form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        limit = blocked(device=device, address=address)
        if limit:
            code_form.is_valid()
            code_form.add_error(
                "code",
                _("Too many wrong codes from this phone. Please try again after %(time)s.")
                % {"time": f"{limit.until:%H:%M}"},
            )
            return _with_device(
                request, render(request, "ballots/vote.html", {"form": code_form}, status=429)
            )
        if code_form.is_valid():
            code = normalise(code_form.cleaned_data["code"])
            try:
                poll = check_code(code)
            except BallotError as error:
                failure_count(device=device, address=address)
                status = show_error(code_form, error)
            else:
                return _with_device(request, _ballot(request, poll, code))
    return _with_device(
        request, render(request, "ballots/vote.html", {"form": code_form}, status=status)
    )


def _ballot(request: HttpRequest, poll: Poll, code: str) -> HttpResponse:
    """The ballot form (first shown, or posted back with the choices)."""
    casting = request.POST.get("step") == "cast"
    form = BallotForm(request.POST if casting else None, poll=poll, initial={"code": code})
    status = 200
    if casting:
        status = 400
        if form.is_valid():
            try:
                receipt = ballot_cast(code=code, choices=form.choices())
            except BallotError as error:
                status = show_error(form, error)
            else:
                return render(
                    request,
                    "ballots/voted.html",
                    {"poll": poll, "session": poll.session, "receipt": grouped(receipt)},
                )
    return render(
        request,
        "ballots/ballot.html",
        {"poll": poll, "session": poll.session, "form": form, "code": grouped(code)},
        status=status,
    )


@login_not_required
def receipt_polls(request: HttpRequest) -> HttpResponse:
    """The published votes, to find one's receipt in."""
    return render(
        request, "ballots/receipt_polls.html", {"polls": list(selectors.published_polls()[:100])}
    )


@login_not_required
@csrf_protect
def receipt_list(request: HttpRequest, pk: int) -> HttpResponse:
    """A published vote's tally and its receipts, without choices; a deputy types their
    receipt (posted, not in the address) to find it."""
    poll = get_object_or_404(
        Poll.objects.select_related("session__region"), pk=pk, state=Poll.State.PUBLISHED
    )
    form = ReceiptForm(request.POST or None)
    published = [grouped(r) for r in receipts(poll)]
    found = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            typed = normalise(form.cleaned_data["receipt"])
            found = grouped(typed) if grouped(typed) in published else ""
        else:
            status = 400
    return render(
        request,
        "ballots/receipt_list.html",
        {
            "poll": poll,
            "session": poll.session,
            "result": poll_result(poll),
            "receipts": published,
            "form": form,
            "found": found,
        },
        status=status,
    )
