"""What the inbox offers on the task lists' handovers (tests/handovers/offers.py): a
supervision finding (answered with evidence, verified by the office, no extensions)
and a leader's instruction (rated by the leader who wrote it, no extensions) take the
mechanism's own steps, each offered to whom may take it and taken without a refusal."""

from __future__ import annotations

import pytest
from django.utils import timezone

from tasks.services.instructions import instruction_write
from tasks.services.supervision import (
    follow_up_add,
    follow_up_handover,
    supervision_visit_record,
)
from tests.handovers.offers import people, walk_rated, walk_verified

pytestmark = pytest.mark.django_db


def test_a_supervision_finding_offers_the_mechanisms_own_steps(world, task):
    today = timezone.localdate()
    visit = supervision_visit_record(
        leader=world.leader, visited_on=today, places="洪江市", tasks=[task], by=world.leader
    )
    item = follow_up_add(
        visit=visit, task=task, unit=world.unit, description="接待台账不规范", due_date=today
    )
    who = people(office=world.staff, unit=world.unit_contact, leader=world.leader)
    walk_verified(
        who, follow_up_handover(item), office="office", unit="unit", extends=(False, False)
    )


def test_a_leaders_instruction_offers_the_mechanisms_own_steps(world, task, settings):
    settings.HANDOVER_RATING_WAIT_DAYS = 0  # the office may close it unrated at once
    instruction = instruction_write(task=task, by=world.leader, text="请加快培训进度。")
    who = people(office=world.staff, unit=world.unit_contact, leader=world.leader)
    walk_rated(
        who,
        instruction.handover,
        office="office",
        unit="unit",
        rater="leader",
        classes=False,
        extends=False,
    )
