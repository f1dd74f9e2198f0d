"""What the inbox offers on a station referral (tests/handovers/offers.py): the unit
answers, the station's secretary (or the staff) verifies it or sends it back once, no
extensions — each step offered to whom may take it and taken without a refusal."""

from __future__ import annotations

import pytest

from liaison_stations.selectors import referral_of
from tests.handovers.offers import people, walk_verified
from tests.liaison_stations.test_referrals import refer

pytestmark = pytest.mark.django_db


def test_a_referral_offers_the_mechanisms_own_steps(world, places):
    reception = refer(places["receptions"]["home"], world)
    who = people(
        secretary=world.secretary,
        staff=world.staff,
        unit=world.unit_contact,
        leader=world.leader,
    )
    walk_verified(
        who,
        referral_of(reception),
        office=("secretary", "staff"),
        unit="unit",
        extends=(False, False),
    )
