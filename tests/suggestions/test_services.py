"""A suggestion's own rules: who submits, numbering, co-signing, the secretary's draft
from a reception, the intake, the hand-over, the status mirrored from the handover,
and one performance-record entry per deputy."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from deputies.models import Activity, Level
from handovers.models import Handover
from handovers.services import (
    handover_answer,
    handover_extend,
    handover_rate,
    handover_report_solved,
)
from liaison_stations.models import Reception
from suggestions.models import Counter, Signature, Suggestion
from suggestions.services import (
    SuggestionError,
    signature_confirm,
    suggestion_accept,
    suggestion_confirm,
    suggestion_convert,
    suggestion_draft_from_reception,
    suggestion_hand_over,
    suggestion_merge,
)
from tests.suggestions.conftest import handed, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


def refused(call, field=None, **kwargs) -> SuggestionError:
    with pytest.raises(SuggestionError) as caught:
        call(**kwargs)
    assert caught.value.field == field, caught.value.message
    return caught.value


def test_a_deputy_submits_to_a_congress_they_sit_in_and_it_is_numbered(world, deputies):
    first = submitted(world, deputies)
    second = submitted(world, deputies, title="关于黄茅园镇中心小学增设校车的建议")
    county = submitted(world, deputies, level=Level.COUNTY, region=world.county)
    assert (first.status, first.year, first.number) == ("submitted", 2026, 1)
    assert second.number == 2
    assert county.number == 1  # each congress counts its own
    assert first.submitted_on == dt.date(2026, 3, 10)
    assert first.lead == deputies.lead


def test_only_a_deputy_with_an_active_seat_submits(world, deputies):
    error = refused(submitted, world=world, deputies=deputies, by=world.staff)
    assert error.forbidden
    # 陆友红 sits for 黄茅园镇, not 卢峰镇, and not at the city.
    refused(submitted, "congress", world=world, deputies=deputies, region=world.other_township)
    refused(
        submitted, "congress", world=world, deputies=deputies, level=Level.CITY, region=world.city
    )
    mandate = deputies.lead.mandates.get(level=Level.TOWNSHIP)
    mandate.ended_on = dt.date(2026, 1, 1)
    mandate.save()
    refused(submitted, "congress", world=world, deputies=deputies)
    assert not Suggestion.objects.exists()


def test_refusals_name_their_fields(world, deputies):
    refused(submitted, "title", world=world, deputies=deputies, title=" ")
    refused(submitted, "content", world=world, deputies=deputies, content="")
    refused(submitted, "category", world=world, deputies=deputies, category="weather")
    refused(submitted, "co_signers", world=world, deputies=deputies, co_signers=[deputies.other])
    refused(submitted, "co_signers", world=world, deputies=deputies, co_signers=[deputies.lead])


def test_numbers_restart_each_year(world, deputies):
    submitted(world, deputies)
    with time_machine.travel(dt.datetime(2027, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        next_year = submitted(world, deputies)
    assert (next_year.year, next_year.number) == (2027, 1)
    assert Counter.objects.count() == 2


def test_each_deputy_gets_exactly_one_activity(world, deputies):
    suggestion = submitted(world, deputies, co_signers=[deputies.cosigner])
    assert Activity.objects.filter(source_key=f"suggestion:{suggestion.pk}").count() == 1
    signature_confirm(suggestion=suggestion, by=deputies.cosigner_user)
    refused(signature_confirm, "confirm", suggestion=suggestion, by=deputies.cosigner_user)
    # Every later step leaves the record as it is.
    suggestion = suggestion_accept(
        suggestion=suggestion, by=world.secretary, version=suggestion.version
    )
    suggestion = suggestion_hand_over(
        suggestion=suggestion,
        by=world.secretary,
        unit=deputies.county_unit,
        version=suggestion.version,
    )
    handover = suggestion.handover
    handover_answer(
        handover=handover, by=deputies.county_contact, text="已列入计划", answer_class="B"
    )
    handover_rate(handover=handover, by=world.deputy, rating="unsatisfied")
    handover_answer(handover=handover, by=deputies.county_contact, text="已开工", answer_class="B")
    handover_rate(handover=handover, by=world.deputy, rating="basic")
    handover_report_solved(handover=handover, by=deputies.county_contact, text="已硬化")
    activities = Activity.objects.filter(source_key=f"suggestion:{suggestion.pk}")
    assert sorted(activities.values_list("deputy__name", flat=True)) == ["舒志明", "陆友红"]
    assert set(activities.values_list("kind", flat=True)) == {Activity.Kind.SUGGESTION}


def test_an_unconfirmed_cosigner_has_no_activity_and_a_stranger_cannot_confirm(world, deputies):
    suggestion = submitted(world, deputies, co_signers=[deputies.cosigner])
    assert Signature.objects.get().confirmed_on is None
    assert not Activity.objects.filter(deputy=deputies.cosigner).exists()
    error = refused(signature_confirm, suggestion=suggestion, by=world.staff)
    assert error.forbidden


def test_a_secretary_drafts_from_a_reception_and_the_deputy_confirms(world, deputies, reception):
    draft = suggestion_draft_from_reception(
        by=world.secretary,
        reception=reception,
        lead=deputies.lead,
        level=Level.TOWNSHIP,
        region=world.township,
        title="关于加快大埠至黄金街道路硬化的建议",
        content=reception.content,
        category=reception.category,
    )
    assert (draft.status, draft.number, draft.session) == ("draft", None, "")
    reception.refresh_from_db()
    assert reception.handling == Reception.Handling.SUGGESTION
    assert reception.follow_up == draft
    assert not Activity.objects.exists()  # not the deputy's until confirmed
    # Drafting twice from one reception is refused; another township's secretary may not.
    refused(
        suggestion_draft_from_reception,
        "reception",
        by=world.secretary,
        reception=reception,
        lead=deputies.lead,
        level=Level.TOWNSHIP,
        region=world.township,
        title="再来一次",
        content="x",
        category="roads",
    )
    error = refused(
        suggestion_confirm, suggestion=draft, by=deputies.cosigner_user, version=draft.version
    )
    assert error.forbidden
    confirmed = suggestion_confirm(suggestion=draft, by=world.deputy, version=draft.version)
    assert (confirmed.status, confirmed.number) == ("submitted", 1)
    assert Activity.objects.filter(deputy=deputies.lead).count() == 1
    refused(
        suggestion_confirm,
        "confirm",
        suggestion=confirmed,
        by=world.deputy,
        version=confirmed.version,
    )


def test_a_draft_from_another_townships_reception_is_refused(world, deputies, reception):
    refused(
        suggestion_draft_from_reception,
        "reception",
        by=world.other_secretary,
        reception=reception,
        lead=deputies.other,
        level=Level.TOWNSHIP,
        region=world.other_township,
        title="关于道路的建议",
        content="x",
        category="roads",
    )
    refused(
        suggestion_draft_from_reception,
        "lead",
        by=world.secretary,
        reception=reception,
        lead=deputies.other,
        level=Level.TOWNSHIP,
        region=world.township,
        title="关于道路的建议",
        content="x",
        category="roads",
    )


def test_the_congress_office_keeps_its_suggestions(world, deputies):
    suggestion = submitted(world, deputies)
    # A township's suggestion: its secretary (or the county's), not the city staff nor
    # another township's secretary.
    for person in (world.staff, world.other_secretary, world.unit_contact):
        error = refused(
            suggestion_accept, suggestion=suggestion, by=person, version=suggestion.version
        )
        assert error.forbidden
    accepted = suggestion_accept(
        suggestion=suggestion, by=world.county_secretary, version=suggestion.version
    )
    assert accepted.status == "accepted"
    refused(
        suggestion_accept,
        "action",
        suggestion=accepted,
        by=world.secretary,
        version=accepted.version,
    )


def test_a_stale_intake_is_a_conflict(world, deputies):
    suggestion = submitted(world, deputies)
    opened = suggestion.version
    # Another secretary's tab turned it into a letter meanwhile; this one still accepts.
    suggestion_convert(
        suggestion=Suggestion.objects.get(),
        by=world.county_secretary,
        to="letter",
        reason="属个人诉求",
        version=opened,
    )
    Suggestion.objects.update(status="submitted")
    error = refused(suggestion_accept, suggestion=suggestion, by=world.secretary, version=opened)
    assert error.conflict


def test_merge_and_convert_need_a_reason_the_deputy_sees(world, deputies):
    target = submitted(world, deputies)
    other = submitted(world, deputies, title="关于大埠道路的建议")
    county = submitted(world, deputies, level=Level.COUNTY, region=world.county)
    refused(
        suggestion_merge,
        "reason",
        suggestion=other,
        by=world.secretary,
        into=target,
        reason="",
        version=other.version,
    )
    refused(
        suggestion_merge,
        "into",
        suggestion=other,
        by=world.secretary,
        into=county,
        reason="同题",
        version=other.version,
    )
    refused(
        suggestion_merge,
        "into",
        suggestion=other,
        by=world.secretary,
        into=other,
        reason="同题",
        version=other.version,
    )
    merged = suggestion_merge(
        suggestion=other,
        by=world.secretary,
        into=target,
        reason="与第1号同题，并案办理",
        version=other.version,
    )
    assert (merged.status, merged.merged_into, merged.intake_reason) == (
        "merged",
        target,
        "与第1号同题，并案办理",
    )
    third = submitted(world, deputies, title="关于邻里纠纷的建议")
    refused(
        suggestion_convert,
        "converted_to",
        suggestion=third,
        by=world.secretary,
        to="memo",
        reason="x",
        version=third.version,
    )
    converted = suggestion_convert(
        suggestion=third,
        by=world.secretary,
        to="letter",
        reason="属个人诉求，转为来信办理",
        version=third.version,
    )
    assert converted.get_converted_to_display()
    # A merged or converted suggestion is not handed over.
    refused(
        suggestion_hand_over,
        "unit",
        suggestion=converted,
        by=world.secretary,
        unit=deputies.county_unit,
        version=converted.version,
    )


def test_hand_over_makes_one_handover_rated_by_the_lead_deputy(world, deputies):
    suggestion = handed(world, deputies)
    handover = suggestion.handover
    assert suggestion.status == "handed"
    assert (handover.kind, handover.unit, handover.rater) == (
        "suggestion",
        deputies.county_unit,
        world.deputy,
    )
    assert handover.region == world.township
    assert handover.due_on == dt.date(2026, 6, 10)  # three months
    assert handover.checked_by == "rating"


def test_hand_over_refusals(world, deputies):
    suggestion = submitted(world, deputies)
    refused(
        suggestion_hand_over,
        "unit",
        suggestion=suggestion,
        by=world.secretary,
        unit=deputies.county_unit,
        version=suggestion.version,
    )
    suggestion = suggestion_accept(
        suggestion=suggestion, by=world.secretary, version=suggestion.version
    )
    refused(
        suggestion_hand_over,
        "unit",
        suggestion=suggestion,
        by=world.secretary,
        unit=None,
        version=suggestion.version,
    )
    refused(
        suggestion_hand_over,
        "due_on",
        suggestion=suggestion,
        by=world.secretary,
        unit=deputies.county_unit,
        due_on=dt.date(2026, 9, 11),
        version=suggestion.version,
    )
    refused(
        suggestion_hand_over,
        "leader",
        suggestion=suggestion,
        by=world.secretary,
        unit=deputies.county_unit,
        is_key=True,
        leader=world.staff,
        version=suggestion.version,
    )
    refused(
        suggestion_hand_over,
        "helping_units",
        suggestion=suggestion,
        by=world.secretary,
        unit=deputies.county_unit,
        helping_units=[deputies.county_unit],
        version=suggestion.version,
    )
    key = suggestion_hand_over(
        suggestion=suggestion,
        by=world.secretary,
        unit=deputies.county_unit,
        is_key=True,
        leader=world.leader,
        helping_units=[world.other_unit],
        version=suggestion.version,
    )
    assert key.is_key and key.leader == world.leader == key.handover.leader
    assert list(key.handover.assists.values_list("unit__name", flat=True)) == ["怀化市司法局"]


def test_the_status_follows_the_handover(world, deputies):
    suggestion = handed(world, deputies)
    handover = suggestion.handover
    handover_answer(
        handover=handover, by=deputies.county_contact, text="已列入计划", answer_class="B"
    )
    assert Suggestion.objects.get().status == "answered"
    handover_rate(handover=handover, by=world.deputy, rating="unsatisfied", comment="进度太慢")
    assert Suggestion.objects.get().status == "handed"  # back with the unit
    handover_answer(handover=handover, by=deputies.county_contact, text="已开工", answer_class="A")
    handover_rate(handover=handover, by=world.deputy, rating="basic")
    assert Suggestion.objects.get().status == "closed"
    assert Handover.objects.get().rating == "basic"


def test_an_extension_is_the_handovers_up_to_six_months(world, deputies):
    handover = handed(world, deputies).handover
    from handovers.services import HandoverError

    with pytest.raises(HandoverError) as caught:
        handover_extend(
            handover=handover, by=world.secretary, due_on=dt.date(2026, 9, 11), reason="跨部门"
        )
    assert caught.value.field == "due_on"
    handover_extend(
        handover=handover, by=world.secretary, due_on=dt.date(2026, 9, 10), reason="跨部门协调"
    )


def test_a_deputy_without_an_account_is_rated_for_by_the_office(world, deputies):
    lead = deputies.lead
    lead.user = None
    lead.save()
    suggestion = Suggestion.objects.create(
        level=Level.TOWNSHIP,
        region=world.township,
        year=2026,
        number=9,
        title="关于路灯的建议",
        content="x",
        category="roads",
        lead=deputies.other,
        status="accepted",
    )
    suggestion.region = world.township
    suggestion = suggestion_hand_over(
        suggestion=suggestion,
        by=world.secretary,
        unit=deputies.county_unit,
        version=suggestion.version,
    )
    assert suggestion.handover.rater == world.secretary
