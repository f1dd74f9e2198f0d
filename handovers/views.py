"""The unit inbox /inbox/, one handover's page, and one URL per step on it.

Each step's form is shown only to whom may take it now (``abilities``), and only when
the handover's kind offers it (``HandoverKind.offers``: a kind whose hook would refuse
the step says where it is taken instead, and the page says so in its place). Each form
posts to its own URL, which checks the person (403) and the kind's offer (400), calls the
service and re-renders the page with the service's refusal beside its field (400, 403,
or 409 when the handover moved on since the page was opened)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from congress_portal.errors import show_error
from handovers import selectors
from handovers.forms import (
    AnswerForm,
    CloseForm,
    ExtendForm,
    InboxFilterForm,
    OpinionForm,
    RateForm,
    SolvedForm,
    VerifyForm,
)
from handovers.kinds import CheckedBy, Elsewhere, HandoverKind, Offer, inbox_panels, kind_named
from handovers.models import Colour, Handover, HandoverFile, Step
from handovers.services import (
    HandoverError,
    add_months,
    handover_answer,
    handover_assist,
    handover_close_unrated,
    handover_extend,
    handover_rate,
    handover_report_solved,
    handover_verify,
    is_main_unit,
    may_keep,
    rating_overdue,
)
from organisation.access import role_required
from organisation.roles import INBOX_READERS, Role

PAGE_SIZE = 50
#: The late units shown in the table; every unit's counts are in the list folded below it.
LATE_SHOWN = 20

#: colour → badge modifier (the badge says the colour in words too: 逾期, 临期, 正常).
BADGE = {Colour.RED: "bad", Colour.YELLOW: "warn", Colour.GREEN: "ok", Colour.NONE: "muted"}


def colour_badge(colour: str) -> tuple[str, str]:
    return BADGE.get(colour, "muted"), str(Colour(colour).label)


# --- The inbox -------------------------------------------------------------------------------


@role_required(INBOX_READERS)
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    office = selectors.is_office(user)  # type: ignore[arg-type]
    form = InboxFilterForm(request.GET or None, office=office, user=user)
    template = "handovers/index.html#results" if request.htmx else "handovers/index.html"
    context: dict[str, Any] = {"form": form, "office": office, "today": today}
    if form.is_bound and not form.is_valid():
        return render(request, template, {**context, "page": None}, status=400)
    data = form.cleaned_data if form.is_bound else {}
    scope = selectors.inbox_for(user)  # type: ignore[arg-type]
    # The counts first: with no unit, state or colour chosen, the list is the open work
    # they counted, and the pager takes its number from them rather than counting again.
    base = selectors.filtered(scope, data, today=today, by_unit=False)
    if office:
        units = selectors.counts_by_unit(base, today)
        totals = {key: sum(unit[key] for unit in units) for key in ("open", "yellow", "red")}
    else:
        totals = selectors.counts(base, today)
    context["totals"] = totals
    handovers = selectors.filtered(scope, data, today=today).with_colour(today)
    lists_the_open_work = not (data.get("unit") or data.get("state") or data.get("colour"))
    paginator = CountedPaginator(
        handovers, PAGE_SIZE, count=totals["open"] if lists_the_open_work else None
    )
    page = paginator.get_page(request.GET.get("page"))
    for handover in page:
        handover.kind_label = kind_named(handover.kind).label
        handover.age_days = handover.age(today)
        handover.badge, handover.colour_label = colour_badge(handover.colour)
        handover.helping = user.role == Role.UNIT and handover.unit_id != user.unit_id
    query = request.GET.copy()
    query.pop("page", None)
    context.update(page=page, query=query.urlencode(), filtered=bool(data))
    if not request.htmx:
        context["panels"] = inbox_panels(user)
    if office:
        context["units"] = units
        late = [unit for unit in units if unit["red"]]
        context["late_units"] = late[:LATE_SHOWN]
        context["more_late"] = len(late) - len(context["late_units"])
        unit_query = request.GET.copy()
        for key in ("page", "unit"):
            unit_query.pop(key, None)
        context["unit_query"] = unit_query.urlencode()
        context["unit_list"] = _unit_list(units, context["unit_query"])
        context["chosen_unit"] = data.get("unit")
    return render(request, template, context)


class CountedPaginator(Paginator):
    """A paginator told its number of items when the page already counted them."""

    def __init__(self, object_list, per_page, *, count: int | None = None) -> None:
        super().__init__(object_list, per_page)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        if self._known_count is not None:
            return self._known_count
        return super().count


def _unit_list(units: list[dict[str, Any]], unit_query: str) -> SafeString:
    """The folded list of every unit's open work, one ``<li>`` a unit, written here rather
    than in the template: a province has thousands of units with open work, and the
    template's loop cost most of the page. The counts are ints (no thousands separator,
    as ``{{ n }}`` writes them here)."""
    href = f"?{escape(unit_query)}&amp;unit=" if unit_query else "?unit="
    open_, soon, overdue = escape(_("Open")), escape(_("Due soon")), escape(_("Overdue"))
    return mark_safe(  # nosec B308 B703  (names, words escaped; the rest ints)
        "".join(
            f'<li><a href="{href}{int(unit["pk"])}">{escape(unit["name"])}</a>'
            f" · {open_} {int(unit['open'])}"
            + (
                f' · <span class="badge badge--warn">{soon} {int(unit["yellow"])}</span>'
                if unit["yellow"]
                else ""
            )
            + (
                f' · <span class="badge badge--bad">{overdue} {int(unit["red"])}</span>'
                if unit["red"]
                else ""
            )
            + "</li>"
            for unit in units
        )
    )


# --- One handover ----------------------------------------------------------------------------


@dataclass
class Abilities:
    """Who the person is to this handover, and which steps they may take now."""

    main: bool
    helping: bool
    keeper: bool
    rater: bool
    answer: bool
    opinion: bool
    verify: bool
    rate: bool
    extend: bool
    close: bool
    solved: bool
    #: step → the lines saying where the kind takes it, for whom would take it here.
    elsewhere: dict[str, list[Elsewhere]]


def extension_limit(handover: Handover, rules: HandoverKind) -> dt.date | None:
    """The furthest deadline an extension may set (``None``: the kind has none)."""
    if rules.max_months is None:
        return None
    return add_months(handover.handed_on, rules.max_months)


def abilities(
    user, handover: Handover, rules: HandoverKind, today: dt.date, offer: Offer | None = None
) -> Abilities:
    main = is_main_unit(user, handover)
    helping = (
        user.is_authenticated
        and user.role == Role.UNIT
        and any(assist.unit_id == user.unit_id for assist in handover.assists.all())
    )
    keeper = may_keep(user, handover)
    rater = user.is_authenticated and handover.rater_id == user.pk
    answered = handover.state == Handover.State.ANSWERED
    limit = extension_limit(handover, rules)
    steps = {
        "answer": main and handover.is_with_unit,
        "opinion": helping and handover.is_with_unit,
        "verify": keeper and answered and handover.checked_by == CheckedBy.OFFICE,
        "rate": rater and answered and handover.checked_by == CheckedBy.RATING,
        # Only while a later day is still within the kind's limit.
        "extend": keeper
        and handover.is_with_unit
        and limit is not None
        and handover.due_on < limit,
        "close": keeper and rating_overdue(handover, today),
        "solved": main
        and handover.answer_class == Handover.AnswerClass.B
        and not handover.is_with_unit
        and handover.solved_on is None,
    }
    offer = offer if offer is not None else rules.offered(handover)
    elsewhere: dict[str, list[Elsewhere]] = {}
    for line in offer.elsewhere:
        if steps[line.step]:
            elsewhere.setdefault(line.step, []).append(line)
    allowed = {name: may and name in offer.steps for name, may in steps.items()}
    return Abilities(
        main=main, helping=helping, keeper=keeper, rater=rater, elsewhere=elsewhere, **allowed
    )


def _handover_or_404(request: HttpRequest, pk: int) -> Handover:
    handover = selectors.handover_detail(request.user, pk).first()
    if handover is None:
        raise Http404
    return handover


def _forms(
    handover: Handover, rules: HandoverKind, can: Abilities, bound: dict[str, forms.Form]
) -> dict[str, forms.Form]:
    """One form per step the person may take now (a bound one kept as it was posted)."""
    initial = {"version": handover.version}
    made: dict[str, forms.Form] = {}
    for name, make in FORMS.items():
        if name in bound:
            made[name] = bound[name]
        elif getattr(can, name):
            made[name] = make(None, None, handover, rules, initial)
    return made


def _render_detail(
    request: HttpRequest,
    handover: Handover,
    *,
    bound: dict[str, forms.Form] | None = None,
    status: int = 200,
) -> HttpResponse:
    today = timezone.localdate()
    rules = kind_named(handover.kind)
    can = abilities(request.user, handover, rules, today)
    steps = list(handover.steps.all())
    answers = [step for step in steps if step.action == Step.Action.ANSWERED]
    colour = handover.colour(today)
    badge, colour_label = colour_badge(colour)
    context = {
        "handover": handover,
        "kind": rules,
        "subject_url": rules.url_of_subject(handover),
        "colour": colour,
        "badge": badge,
        "colour_label": colour_label,
        "age": handover.age(today),
        "days_late": handover.days_late(today),
        "steps": steps,
        "answer_step": answers[-1] if answers and handover.answered_on else None,
        "final_answer": handover.round >= 2 and not handover.is_with_unit,
        "assists": list(handover.assists.all()),
        "can": can,
        "forms": _forms(handover, rules, can, bound or {}),
        "elsewhere": can.elsewhere,
        "final_round": handover.is_final_round,
        "rating_overdue": rating_overdue(handover, today),
    }
    return render(request, "handovers/detail.html", context, status=status)


@login_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _handover_or_404(request, pk))


# --- The steps -------------------------------------------------------------------------------

FormMaker = Callable[[Any, Any, Handover, HandoverKind, dict | None], forms.Form]
FORMS: dict[str, FormMaker] = {
    "answer": lambda data, files, handover, rules, initial: AnswerForm(
        data, files, answer_classes=rules.answer_classes, initial=initial, auto_id="answer_%s"
    ),
    "opinion": lambda data, files, handover, rules, initial: OpinionForm(
        data, files, auto_id="opinion_%s"
    ),
    "verify": lambda data, files, handover, rules, initial: VerifyForm(
        data, final=handover.is_final_round, initial=initial, auto_id="verify_%s"
    ),
    "rate": lambda data, files, handover, rules, initial: RateForm(
        data, initial=initial, auto_id="rate_%s"
    ),
    "extend": lambda data, files, handover, rules, initial: ExtendForm(
        data,
        after=handover.due_on,
        limit=extension_limit(handover, rules),
        initial=initial,
        auto_id="extend_%s",
    ),
    "close": lambda data, files, handover, rules, initial: CloseForm(
        data, initial=initial, auto_id="close_%s"
    ),
    "solved": lambda data, files, handover, rules, initial: SolvedForm(
        data, files, auto_id="solved_%s"
    ),
}

#: Who may take each step at all (anyone else: 403); the state is the service's to judge.
WHO = {
    "answer": "main",
    "solved": "main",
    "opinion": "helping",
    "verify": "keeper",
    "extend": "keeper",
    "close": "keeper",
    "rate": "rater",
}


def _call(name: str, handover: Handover, user, data: dict[str, Any]) -> str:
    """Take the step through its service; the message to show after it."""
    if name == "answer":
        handover_answer(
            handover=handover,
            by=user,
            text=data["text"],
            answer_class=data.get("answer_class") or "",
            files=data["files"],
            version=data["version"],
        )
        return _("Your answer was sent.")
    if name == "opinion":
        handover_assist(handover=handover, by=user, opinion=data["opinion"], files=data["files"])
        return _("Your opinion was sent to the main unit.")
    if name == "verify":
        accept = data["accept"] == "yes"
        handover_verify(
            handover=handover,
            by=user,
            accept=accept,
            reason=data["reason"],
            version=data["version"],
        )
        if accept:
            return _("The answer was accepted and the item closed.")
        return _("The item was sent back to the unit for re-handling.")
    if name == "rate":
        handover_rate(
            handover=handover,
            by=user,
            rating=data["rating"],
            comment=data["comment"],
            version=data["version"],
        )
        return _("Thank you: your rating was recorded.")
    if name == "extend":
        handover_extend(
            handover=handover,
            by=user,
            due_on=data["due_on"],
            reason=data["reason"],
            version=data["version"],
        )
        return _("The deadline was extended.")
    if name == "close":
        handover_close_unrated(handover=handover, by=user, version=data["version"])
        return _("Closed without the deputy's feedback.")
    handover_report_solved(handover=handover, by=user, text=data["text"], files=data["files"])
    return _("Reported solved.")


def _act(request: HttpRequest, pk: int, name: str, files: Any = None) -> HttpResponse:
    handover = _handover_or_404(request, pk)
    rules = kind_named(handover.kind)
    offer = rules.offered(handover)
    can = abilities(request.user, handover, rules, timezone.localdate(), offer)
    if not getattr(can, WHO[name]):
        raise PermissionDenied
    if name not in offer.steps:
        # The kind takes this step on its own page (its hook would refuse it here).
        lines = [line.text for line in offer.elsewhere if line.step == name]
        for text in lines or [_("This step is not taken on this page.")]:
            messages.error(request, text)
        return _render_detail(request, handover, status=400)
    form = FORMS[name](request.POST, files, handover, rules, None)
    status = 400
    if form.is_valid():
        try:
            done = _call(name, handover, request.user, form.cleaned_data)
        except HandoverError as error:
            status = show_error(form, error)
            handover = _handover_or_404(request, pk)  # as it is now
            if error.conflict:
                form.data = form.data.copy()
                form.data["version"] = str(handover.version)
        else:
            messages.success(request, done)
            return redirect(handover)
    return _render_detail(request, handover, bound={name: form}, status=status)


@require_POST
@login_required
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "answer", request.FILES)


@require_POST
@login_required
def opinion(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "opinion", request.FILES)


@require_POST
@login_required
def solved(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "solved", request.FILES)


@require_POST
@login_required
def verify(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "verify")


@require_POST
@login_required
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "rate")


@require_POST
@login_required
def extend(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "extend")


@require_POST
@login_required
def close(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "close")


# --- Evidence --------------------------------------------------------------------------------


@login_required
@require_GET
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    """An answer's or an opinion's file, to whoever may see its handover (404 otherwise:
    nginx serves no /media/)."""
    record = get_object_or_404(
        HandoverFile.objects.filter(
            step__handover__in=Handover.objects.visible_to(request.user).values("pk")
        ),
        pk=pk,
    )
    try:
        file = record.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    inline = record.content_type in ("application/pdf", "image/jpeg", "image/png")
    response = FileResponse(
        file, as_attachment=not inline, filename=record.name, content_type=record.content_type
    )
    response["Cache-Control"] = "private, max-age=3600"
    return response
