"""A handover's page offers only what its kind allows now (``HandoverKind.offers``), and
only forms that can succeed: a step the kind takes on its own page is replaced by the
kind's line and link (for whom would take it) and refused if posted anyway; a final
answer's verification only accepts; a deadline already at the kind's limit is not
offered an extension. Each registered kind has its walk through its states in its
module's tests (``tests/handovers/offers.py``)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from handovers import kinds
from handovers.kinds import Elsewhere, HandoverKind, Offer, registered
from handovers.models import Handover
from handovers.services import add_months, handover_answer, handover_create, handover_verify
from tests.handovers.conftest import TODAY
from tests.handovers.offers import FINAL, offered

pytestmark = pytest.mark.django_db

ELSEWHERE = "t_elsewhere"

#: Every kind a module registers, and the test that walks it through its states.
WALKED = {
    "suggestion": "tests/suggestions/test_inbox_offers.py",
    "referral": "tests/liaison_stations/test_inbox_offers.py",
    "follow_up": "tests/tasks/test_inbox_offers.py",
    "instruction": "tests/tasks/test_inbox_offers.py",
    "livelihood_finding": "tests/livelihood/test_inbox_offers.py",
    "rectification": "tests/oversight/test_inbox_offers.py",
    "review_opinion": "tests/oversight/test_inbox_offers.py",
    "oversight_commitment": "tests/oversight/test_inbox_offers.py",
    "interpellation": "tests/oversight/test_inbox_offers.py",
    "satisfaction_report": "tests/oversight/test_inbox_offers.py",
}


def test_every_registered_kind_has_its_walk():
    assert {kind.name for kind in registered()} == set(WALKED)


def test_an_offer_names_only_the_pages_steps():
    with pytest.raises(ValueError):
        Offer.without("approve")
    with pytest.raises(ValueError):
        Elsewhere(step="review", text="x")
    assert Offer.without("verify").steps == kinds.STEPS - {"verify"}


def elsewhere_offers(handover: Handover) -> Offer:
    """The throw-away kind's ``offers``: an answer is checked on another page."""
    if handover.state != Handover.State.ANSWERED:
        return Offer()
    line = Elsewhere(step="verify", text="请到专门页面核实", url="/oversight/", link="去核实")
    return Offer.without("verify", elsewhere=[line])


@pytest.fixture
def withheld(world, frozen):
    kinds.register(
        HandoverKind(
            name=ELSEWHERE,
            label="另有核实页面（测试）",
            max_months=2,
            offers="tests.handovers.test_offers.elsewhere_offers",
        )
    )
    handover = handover_create(
        kind=ELSEWHERE,
        subject=world.township,
        title="另有核实页面的事项",
        region=world.city,
        unit=world.unit,
        by=world.staff,
    )
    yield handover
    kinds._KINDS.pop(ELSEWHERE)


def test_a_step_the_kind_takes_elsewhere_is_a_line_and_a_link_never_a_form(
    world, withheld, as_user
):
    handover = withheld
    staff, unit = as_user(world.staff), as_user(world.unit_contact)
    assert offered(staff, handover) == {"extend"}  # the kind leaves the rest alone
    handover_answer(handover=handover, by=world.unit_contact, text="已办理")
    handover.refresh_from_db()
    assert offered(staff, handover) == set()
    page = staff.get(handover.get_absolute_url())
    html = page.content.decode()
    assert "请到专门页面核实" in html and 'href="/oversight/"' in html
    assert 'name="accept"' not in html
    # The unit would not verify anyway: it is told nothing of it.
    assert "请到专门页面核实" not in unit.get(handover.get_absolute_url()).content.decode()
    # Posted anyway: refused before the service, with the kind's line; nothing moved.
    refused = staff.post(
        reverse("handovers:verify", args=[handover.pk]),
        {"accept": "yes", "reason": "", "version": handover.version},
    )
    assert refused.status_code == 400
    assert "请到专门页面核实" in refused.content.decode()
    handover.refresh_from_db()
    assert handover.state == Handover.State.ANSWERED
    # The person check still comes first: the unit is refused as before.
    forbidden = unit.post(
        reverse("handovers:verify", args=[handover.pk]),
        {"accept": "yes", "reason": "", "version": handover.version},
    )
    assert forbidden.status_code == 403


def test_a_final_answer_is_only_accepted(world, handed, as_user):
    handover = handed.verified
    handover_answer(handover=handover, by=world.unit_contact, text="已修复")
    handover_verify(handover=handover, by=world.secretary, accept=False, reason="未修复")
    handover_answer(handover=handover, by=world.unit_contact, text="已重新修复")
    handover.refresh_from_db()
    secretary = as_user(world.secretary)
    assert offered(secretary, handover) == {FINAL}
    html = secretary.get(handover.get_absolute_url()).content.decode()
    assert "认可后即予办结" in html and 'value="no"' not in html
    # A send-back posted anyway is refused by the form, said above it (400).
    url = reverse("handovers:verify", args=[handover.pk])
    response = secretary.post(url, {"accept": "no", "reason": "仍未修复", "version": 3})
    assert response.status_code == 400
    assert "第二次答复为最终答复" in response.content.decode()
    response = secretary.post(url, {"accept": "yes", "reason": "", "version": handover.version})
    assert response.status_code == 302
    handover.refresh_from_db()
    assert (handover.state, handover.closure) == ("closed", "verified")


def test_no_extension_is_offered_once_the_deadline_is_at_the_kinds_limit(world, handed, as_user):
    handover = handed.rated  # three months, extended up to six
    staff = as_user(world.staff)
    limit = add_months(handover.handed_on, 6)
    form = staff.get(handover.get_absolute_url()).context["forms"]["extend"]
    attrs = form.fields["due_on"].widget.attrs
    assert attrs["min"] == (handover.due_on + dt.timedelta(days=1)).isoformat()
    assert attrs["max"] == limit.isoformat()
    response = staff.post(
        reverse("handovers:extend", args=[handover.pk]),
        {"due_on": limit.isoformat(), "reason": "跨部门协调", "version": handover.version},
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert handover.due_on == limit and handover.handed_on == TODAY
    assert "extend" not in offered(staff, handover)
    assert "extend" not in staff.get(handover.get_absolute_url()).context["forms"]
