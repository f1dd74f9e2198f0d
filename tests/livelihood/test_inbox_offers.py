"""What the inbox offers on a livelihood project's inspection finding (tests/handovers/
offers.py): the unit answers, the office verifies it or sends it back once, and extends
it up to three months — each step offered to whom may take it and taken without a
refusal."""

from __future__ import annotations

import datetime as dt

import pytest

from livelihood.supervision import finding_add, inspection_record
from tests.handovers.offers import people, walk_verified
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.django_db


def test_a_livelihood_finding_offers_the_mechanisms_own_steps(world, deputies):
    chosen = make_proposal(world, status="chosen")
    visit = inspection_record(
        proposal=chosen, date=dt.date(2026, 3, 1), deputies=[deputies.me], notes="", by=world.deputy
    )
    finding = finding_add(
        inspection=visit, text="排水沟未按设计施工", unit=world.township_unit, by=world.deputy
    )
    who = people(
        secretary=world.secretary,
        staff=world.staff,
        unit=world.township_unit_contact,
        leader=world.leader,
    )
    walk_verified(who, finding.handover, office=("secretary", "staff"), unit="unit")
