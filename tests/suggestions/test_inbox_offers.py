"""What the inbox offers on a deputy suggestion (tests/handovers/offers.py): the
mechanism's own steps — answered A/B/C with a helping unit's opinion, rated by the lead
deputy, extended up to six months, closed unrated after the wait, a B answer reported
solved — each offered to whom may take it, and each taken without a refusal."""

from __future__ import annotations

import pytest

from suggestions.services import suggestion_accept, suggestion_hand_over
from tests.handovers.offers import people, walk_rated
from tests.suggestions.conftest import submitted

pytestmark = pytest.mark.django_db


def test_a_suggestion_offers_the_mechanisms_own_steps(world, deputies, settings):
    settings.HANDOVER_RATING_WAIT_DAYS = 0  # the office may close it unrated at once
    suggestion = submitted(world, deputies)
    suggestion = suggestion_accept(
        suggestion=suggestion, by=world.secretary, version=suggestion.version
    )
    suggestion = suggestion_hand_over(
        suggestion=suggestion,
        by=world.secretary,
        unit=deputies.county_unit,
        helping_units=[world.township_unit],
        version=suggestion.version,
    )
    who = people(
        office=world.secretary,
        staff=world.staff,
        unit=deputies.county_contact,
        helper=world.township_unit_contact,
        deputy=world.deputy,
        leader=world.leader,
    )
    walk_rated(
        who,
        suggestion.handover,
        office=("office", "staff"),
        unit="unit",
        rater="deputy",
        helper="helper",
        classes=True,
        extends=True,
    )
