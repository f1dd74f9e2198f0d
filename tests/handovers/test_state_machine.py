"""The handover state machine, as a machine: every step from every state, every refusal
naming its field, nothing closing without its check."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from handovers import kinds
from handovers.kinds import CheckedBy, HandoverKind
from handovers.models import Assist, Handover, Step
from handovers.services import (
    HandoverConflict,
    HandoverError,
    add_months,
    handover_answer,
    handover_assist,
    handover_close_unrated,
    handover_create,
    handover_extend,
    handover_rate,
    handover_report_solved,
    handover_verify,
)
from notifications.models import Notification
from tests.factories import UnitFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture(autouse=True)
def test_kinds():
    rated = HandoverKind(
        name="test_rated",
        label="rated",
        checked_by=CheckedBy.RATING,
        answer_classes=True,
        default_months=3,
        max_months=6,
    )
    verified = HandoverKind(name="test_verified", label="verified")
    kinds.register(rated)
    kinds.register(verified)
    yield
    kinds._KINDS.pop("test_rated")
    kinds._KINDS.pop("test_verified")


def rated(world, **extra):
    return handover_create(
        kind="test_rated",
        subject=world.township,
        title="关于修缮大埠至黄金街道路的建议",
        region=world.city,
        unit=world.unit,
        by=world.staff,
        rater=world.deputy,
        **extra,
    )


def verified(world, **extra):
    return handover_create(
        kind="test_verified",
        subject=world.township,
        title="督导发现：台账不全",
        region=world.city,
        unit=world.unit,
        by=world.staff,
        **extra,
    )


def refused(call, field=None, **kwargs) -> HandoverError:
    with pytest.raises(HandoverError) as caught:
        call(**kwargs)
    assert caught.value.field == field
    return caught.value


def test_handed_with_the_kinds_default_deadline_and_told_to_the_unit(world):
    handover = rated(world)
    assert handover.state == Handover.State.HANDED
    assert handover.due_on == dt.date(2026, 6, 10)  # three months
    assert handover.age(TODAY) == 0
    notice = Notification.objects.get(user=world.unit_contact)
    assert handover.title in notice.title
    assert notice.url == f"/inbox/{handover.pk}/"


def test_no_step_can_be_skipped(world):
    handover = rated(world)
    # No rating, verification or unrated closing before an answer.
    refused(handover_rate, handover=handover, by=world.deputy, rating="satisfied")
    refused(handover_close_unrated, "close", handover=handover, by=world.staff)
    refused(handover_report_solved, handover=handover, by=world.unit_contact, text="已解决")
    assert Handover.objects.get().state == Handover.State.HANDED


def test_a_rated_answer_closes_only_by_its_rater(world):
    handover = rated(world)
    handover_answer(handover=handover, by=world.unit_contact, text="已纳入计划", answer_class="A")
    # The office cannot verify a rated kind; nobody but the rater rates.
    refused(handover_verify, handover=handover, by=world.staff, accept=True)
    error = refused(handover_rate, handover=handover, by=world.staff, rating="satisfied")
    assert error.forbidden
    handover = handover_rate(handover=handover, by=world.deputy, rating="basic")
    assert handover.state == Handover.State.CLOSED
    assert handover.closure == Handover.Closure.RATED
    assert handover.closed_on == TODAY


def test_unsatisfied_sends_it_back_once_and_the_second_answer_is_final(world):
    handover = rated(world)
    handover_answer(handover=handover, by=world.unit_contact, text="第一次答复", answer_class="B")
    handover = handover_rate(handover=handover, by=world.deputy, rating="unsatisfied")
    assert handover.state == Handover.State.RETURNED
    assert handover.round == 2
    assert handover.due_on == dt.date(2026, 4, 10)  # re-handled within one month
    handover_answer(handover=handover, by=world.unit_contact, text="第二次答复", answer_class="A")
    # A second 不满意 does not send it back again: it closes with the final answer.
    handover = handover_rate(handover=handover, by=world.deputy, rating="unsatisfied")
    assert handover.state == Handover.State.CLOSED
    assert handover.rating == Handover.Rating.UNSATISFIED
    assert handover.answer == "第二次答复"
    actions = list(Step.objects.values_list("action", "round"))
    assert actions == [
        ("handed", 1),
        ("answered", 1),
        ("rated", 1),
        ("returned", 2),
        ("answered", 2),
        ("rated", 2),
    ]


def test_a_second_rehandling_is_refused_by_the_office(world):
    handover = verified(world)
    handover_answer(handover=handover, by=world.unit_contact, text="已整改")
    refused(handover_verify, "reason", handover=handover, by=world.staff, accept=False)
    handover = handover_verify(handover=handover, by=world.staff, accept=False, reason="证据不足")
    assert handover.state == Handover.State.RETURNED
    handover_answer(handover=handover, by=world.unit_contact, text="补充了证据")
    refused(
        handover_verify, "accept", handover=handover, by=world.staff, accept=False, reason="仍不足"
    )
    handover = handover_verify(handover=handover, by=world.staff, accept=True)
    assert (handover.state, handover.closure) == (Handover.State.CLOSED, "verified")


def test_nothing_closes_without_its_verification(world):
    handover = verified(world)
    handover_answer(handover=handover, by=world.unit_contact, text="已整改")
    # The unit that answered cannot close its own answer.
    error = refused(handover_verify, handover=handover, by=world.unit_contact, accept=True)
    assert error.forbidden
    refused(handover_rate, handover=handover, by=world.deputy, rating="satisfied")
    assert Handover.objects.get().state == Handover.State.ANSWERED


def test_the_office_closes_an_unrated_answer_only_after_the_wait(world, settings):
    handover = rated(world)
    handover_answer(handover=handover, by=world.unit_contact, text="已办结", answer_class="A")
    refused(handover_close_unrated, "close", handover=handover, by=world.staff)
    later = TODAY + dt.timedelta(days=settings.HANDOVER_RATING_WAIT_DAYS)
    refused(handover_close_unrated, handover=handover, by=world.unit_contact, on=later)
    handover = handover_close_unrated(handover=handover, by=world.staff, on=later)
    assert handover.closure == Handover.Closure.NO_FEEDBACK


def test_an_extension_beyond_six_months_is_refused(world):
    handover = rated(world)
    refused(
        handover_extend,
        "reason",
        handover=handover,
        by=world.staff,
        due_on=dt.date(2026, 8, 10),
        reason=" ",
    )
    refused(
        handover_extend,
        "due_on",
        handover=handover,
        by=world.staff,
        due_on=dt.date(2026, 9, 11),
        reason="涉及跨部门协调",
    )
    refused(
        handover_extend,
        "due_on",
        handover=handover,
        by=world.staff,
        due_on=dt.date(2026, 5, 1),
        reason="涉及跨部门协调",
    )
    error = refused(
        handover_extend,
        handover=handover,
        by=world.unit_contact,
        due_on=dt.date(2026, 8, 10),
        reason="涉及跨部门协调",
    )
    assert error.forbidden
    handover = handover_extend(
        handover=handover, by=world.staff, due_on=dt.date(2026, 9, 10), reason="涉及跨部门协调"
    )
    assert (handover.first_due_on, handover.due_on) == (dt.date(2026, 6, 10), dt.date(2026, 9, 10))
    # Created beyond six months is refused too.
    refused(rated, "due_on", world=world, due_on=dt.date(2026, 10, 1))


def test_the_answer_needs_its_class_text_and_the_main_unit(world):
    handover = rated(world)
    refused(handover_answer, "answer_class", handover=handover, by=world.unit_contact, text="答复")
    refused(
        handover_answer,
        "text",
        handover=handover,
        by=world.unit_contact,
        text=" ",
        answer_class="A",
    )
    error = refused(
        handover_answer, handover=handover, by=world.outsider, text="答复", answer_class="A"
    )
    assert error.forbidden


def test_a_double_submit_answers_once_and_a_stale_form_is_a_conflict(world):
    handover = rated(world)
    opened = handover.version
    handover_answer(
        handover=handover, by=world.unit_contact, text="答复", answer_class="A", version=opened
    )
    with pytest.raises(HandoverConflict):
        handover_answer(
            handover=handover, by=world.unit_contact, text="答复", answer_class="A", version=opened
        )
    refused(
        handover_answer, handover=handover, by=world.unit_contact, text="答复", answer_class="A"
    )
    assert Step.objects.filter(action="answered").count() == 1


def test_helping_units_send_an_opinion_to_the_main_unit_only(world):
    helper = UnitFactory(name="溆浦县交通运输局", short_name="县交通局", region=world.county)
    helper_contact = UserFactory(username="helper", role="unit", unit=helper)
    handover = rated(world, helping_units=[helper])
    assist = Assist.objects.get()
    assert assist.due_on == add_months(TODAY, 1)
    refused(handover_assist, "opinion", handover=handover, by=helper_contact, opinion="")
    handover_assist(handover=handover, by=helper_contact, opinion="建议纳入明年计划")
    assert Notification.objects.filter(user=world.unit_contact, title__contains="县交通局").exists()
    # Only the main unit answers the person it concerns.
    error = refused(
        handover_answer, handover=handover, by=helper_contact, text="答复", answer_class="A"
    )
    assert error.forbidden
    refused(rated, "helping_units", world=world, helping_units=[world.unit])


def test_a_b_answer_is_followed_until_reported_solved(world):
    handover = rated(world)
    handover_answer(handover=handover, by=world.unit_contact, text="已列入计划", answer_class="B")
    handover = handover_rate(handover=handover, by=world.deputy, rating="satisfied")
    assert not handover.is_solved
    handover = handover_report_solved(handover=handover, by=world.unit_contact, text="已完工")
    assert handover.is_solved
    refused(handover_report_solved, handover=handover, by=world.unit_contact, text="again")


def test_colours_follow_the_deadline(world, settings):
    settings.HANDOVER_YELLOW_DAYS = 7
    handover = verified(world, due_on=TODAY + dt.timedelta(days=8))
    assert handover.colour(TODAY) == "green"
    assert handover.colour(TODAY + dt.timedelta(days=1)) == "yellow"
    assert handover.colour(TODAY + dt.timedelta(days=9)) == "red"
    for day, colour in [(TODAY, "green"), (TODAY + dt.timedelta(days=2), "yellow")]:
        annotated = Handover.objects.with_colour(day).get()
        assert annotated.colour == colour
        assert Handover.objects.of_colour(colour, day).count() == 1
    handover_answer(handover=handover, by=world.unit_contact, text="已整改")
    assert Handover.objects.with_colour(TODAY + dt.timedelta(days=30)).get().colour == "none"


def test_scoping(world):
    handover = verified(world)
    visible = Handover.objects.visible_to
    assert handover in visible(world.unit_contact)
    assert handover in visible(world.staff)
    assert handover not in visible(world.outsider)
    assert handover not in visible(world.secretary)  # the city's work
    assert handover not in visible(world.deputy)
    assert rated(world) in visible(world.deputy)
