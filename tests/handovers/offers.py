"""What a handover's page offers, checked kind by kind: each person sees exactly the
steps the kind allows them now, and every form shown, submitted with valid data,
succeeds — no form offered only for the kind's hook to refuse it.

Each kind's test (beside its module's tests) takes one real handover of that kind
through its states and calls :func:`check` at each. A form is taken inside a savepoint
that is rolled back, so the next form (or person) starts from the same state."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse

from handovers.kinds import kind_named
from handovers.models import Handover, Step
from handovers.services import handover_answer, handover_rate, handover_verify
from organisation.models import User
from tests.conftest import client_for

STEPS = ("answer", "opinion", "verify", "rate", "extend", "close", "solved")
#: The verify form of a final answer: it accepts, it cannot send back a second time.
FINAL = "verify-final"

PDF = b"%PDF-1.4\n% evidence\n"


@dataclass
class Person:
    user: User
    client: Client


def people(**users: User) -> dict[str, Person]:
    """The people a test looks with, by the name its expectations use."""
    return {name: Person(user, client_for(user)) for name, user in users.items()}


def offered(client: Client, handover: Handover) -> set[str]:
    """The steps whose forms the handover's page shows this person."""
    response = client.get(handover.get_absolute_url())
    assert response.status_code == 200, response.status_code
    html = response.content.decode()
    steps = {
        step
        for step in STEPS
        if f'action="{reverse(f"handovers:{step}", args=[handover.pk])}"' in html
    }
    if "verify" in steps and 'name="accept" value="no"' not in html:
        steps = steps - {"verify"} | {FINAL}
    return steps


def elsewhere(client: Client, handover: Handover) -> dict[str, list[str]]:
    """step → the addresses of the pages the kind takes it on, as shown to this person."""
    response = client.get(handover.get_absolute_url())
    html = response.content.decode()
    found = {
        step: [line.url for line in lines] for step, lines in response.context["elsewhere"].items()
    }
    for urls in found.values():
        for url in urls:
            assert f'href="{url}"' in html
    return found


def _choices(step: str, handover: Handover) -> list[dict]:
    version = {"version": handover.version}
    if step == "answer":
        return [
            {
                **version,
                "text": "已按要求办理，整改情况及佐证材料见附件。",
                "answer_class": "B",
                "files": SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf"),
            }
        ]
    if step == "opinion":
        return [{"opinion": "我单位配合意见：同意主办单位方案。"}]
    if step == "verify":
        return [
            {**version, "accept": "yes", "reason": "经核实属实"},
            {**version, "accept": "no", "reason": "佐证材料不足，请补充"},
        ]
    if step == FINAL:
        return [{**version, "accept": "yes", "reason": ""}]
    if step == "rate":
        return [
            {**version, "rating": "satisfied", "comment": ""},
            {**version, "rating": "unsatisfied", "comment": "未见实效"},
        ]
    if step == "extend":
        later = handover.due_on + dt.timedelta(days=1)
        return [{**version, "due_on": later.isoformat(), "reason": "涉及资金拨付，需延期"}]
    if step == "close":
        return [version]
    if step == "solved":
        return [{"text": "已全部解决。"}]
    raise AssertionError(step)


class _Undo(Exception):
    pass


def takes(client: Client, handover: Handover, step: str) -> None:
    """Each valid submission of the step succeeds: the page answers with a redirect to
    the handover and one step more in its history (then it is rolled back)."""
    url = reverse(f"handovers:{'verify' if step == FINAL else step}", args=[handover.pk])
    for data in _choices(step, handover):
        before = Step.objects.filter(handover=handover).count()
        try:
            with transaction.atomic():
                response = client.post(url, data)
                if response.status_code != 302:
                    form = (response.context or {}).get("forms", {}).get(url.split("/")[-2])
                    raise AssertionError(
                        f"{step} {data} refused ({response.status_code}): "
                        f"{form.errors if form is not None else ''}"
                        f"{[str(m) for m in response.context['messages']] if response.context else ''}"
                    )
                assert response.url == handover.get_absolute_url()
                assert Step.objects.filter(handover=handover).count() > before, step
                raise _Undo
        except _Undo:
            pass


def check(who: dict[str, Person], handover: Handover, expected: dict[str, set[str]]) -> None:
    """Each person is offered exactly ``expected[name]``, and each offered form works."""
    assert set(who) == set(expected)
    for name, person in who.items():
        handover.refresh_from_db()
        shown = offered(person.client, handover)
        assert shown == expected[name], (name, handover.state, handover.round, shown)
        for step in sorted(shown):
            takes(person.client, handover, step)


# --- The common walks ------------------------------------------------------------------------


def answer(handover: Handover, by, text: str = "已办理，情况见附件。") -> Handover:
    """The main unit's answer through the service (a B class where the kind has classes,
    with a file where it needs one)."""
    handover.refresh_from_db()
    return handover_answer(
        handover=handover,
        by=by,
        text=text,
        answer_class="B" if kind_named(handover.kind).answer_classes else "",
        files=[SimpleUploadedFile("佐证.pdf", PDF, content_type="application/pdf")],
    )


def _expect(who: dict[str, Person], offers: dict, offices: tuple[str, ...] = ()):
    """Everyone not named is offered nothing; every office what the first is."""
    offers = {**offers, **{name: offers.get(offices[0], set()) for name in offices[1:]}}
    return {name: offers.get(name, set()) for name in who}


def _offices(office: str | tuple[str, ...]) -> tuple[str, ...]:
    return (office,) if isinstance(office, str) else office


def walk_verified(
    who: dict[str, Person],
    handover: Handover,
    *,
    office: str | tuple[str, ...],
    unit: str,
    on: dt.date | None = None,
    extends: tuple[bool, bool] = (True, True),
) -> None:
    """A kind the office verifies with the mechanism's own steps: the unit answers, the
    office verifies it or sends it back once, the second answer is final (accepted).
    ``office`` and ``unit`` are names in ``who`` (several offices: the first acts, all
    are offered the same); ``extends``: whether a later deadline is still possible in
    each round."""
    offices = _offices(office)
    office = offices[0]
    first, second = ({"extend"} if extend else set() for extend in extends)
    check(who, handover, _expect(who, {office: first, unit: {"answer"}}, offices))
    answer(handover, who[unit].user)
    check(who, handover, _expect(who, {office: {"verify"}}, offices))
    handover_verify(handover=handover, by=who[office].user, accept=False, reason="请补充", on=on)
    check(who, handover, _expect(who, {office: second, unit: {"answer"}}, offices))
    answer(handover, who[unit].user, "已补充办理。")
    check(who, handover, _expect(who, {office: {FINAL}}, offices))
    handover_verify(handover=handover, by=who[office].user, accept=True, on=on)
    check(who, handover, _expect(who, {}, offices))


def walk_rated(
    who: dict[str, Person],
    handover: Handover,
    *,
    office: str | tuple[str, ...],
    unit: str,
    rater: str,
    classes: bool,
    extends: bool,
    helper: str | None = None,
) -> None:
    """A kind its rater rates: the unit answers (a ``helper`` unit sends its opinion
    while it is with the unit), the rater rates (不满意 sends it back once), the office
    closes an answer left unrated past the wait (the test sets the wait to 0 days), and
    a B answer is later reported solved by the unit."""
    offices = _offices(office)
    office = offices[0]
    extend = {"extend"} if extends else set()
    solved = {"solved"} if classes else set()
    helping = {helper: {"opinion"}} if helper else {}
    rating = {office: {"close"}, unit: solved, rater: {"rate"}}
    check(who, handover, _expect(who, {office: extend, unit: {"answer"}, **helping}, offices))
    answer(handover, who[unit].user)
    check(who, handover, _expect(who, rating, offices))
    handover_rate(handover=handover, by=who[rater].user, rating="unsatisfied", comment="不满意")
    check(who, handover, _expect(who, {office: extend, unit: {"answer"}, **helping}, offices))
    answer(handover, who[unit].user, "已重新办理。")
    check(who, handover, _expect(who, rating, offices))
    handover_rate(handover=handover, by=who[rater].user, rating="satisfied")
    check(who, handover, _expect(who, {unit: solved}, offices))
