"""质询: the mover thresholds at their edges, the answer as a handover to the body
questioned, the movers' verdicts, and the second answer when more than half are
dissatisfied."""

from __future__ import annotations

import pytest

from deputies.models import Activity
from handovers.models import Handover
from handovers.services import HandoverError, handover_answer, handover_verify
from oversight.hearings import interpellation_move, interpellation_verdicts_record
from oversight.models import Kind
from oversight.services import OversightError
from tests.oversight.hearing_fixtures import (
    DAY,
    city_case,
    county_case,
    county_session,
    deputies_of,
    members_of,
)

pytestmark = pytest.mark.django_db


def _move(world, case, movers, *, by=None, **kw):
    unit = world.county_unit if case.level == "county" else world.other_unit
    kw.setdefault("setting", "standing_committee")
    if kw["setting"] == "standing_committee":
        kw.setdefault("moved_on", DAY)
    return interpellation_move(
        case=case,
        unit=unit,
        subject="长江流域十年禁渔工作落实不力",
        text="非法捕捞有所反弹，请说明原因和整改措施。",
        mode="written",
        movers=movers,
        by=by or (world.county_secretary if case.level == "county" else world.staff),
        **kw,
    )


@pytest.mark.parametrize(
    ("level", "signed", "moved"),
    [("city", 4, False), ("city", 5, True), ("county", 2, False), ("county", 3, True)],
)
def test_standing_committee_members_move_it_at_the_threshold(world, level, signed, moved):
    if level == "city":
        case, region = city_case(world, Kind.INTERPELLATION), world.city
    else:
        case, region = county_case(world, Kind.INTERPELLATION), world.county
    members = members_of(region, 6, level=level)
    if not moved:
        with pytest.raises(OversightError) as refused:
            _move(world, case, members[:signed])
        assert refused.value.field == "movers"
        assert str(signed) in refused.value.message
        assert not Handover.objects.exists()
        return
    found = _move(world, case, members[:signed])
    assert found.movers.count() == signed
    # Each mover's performance record holds the interpellation, once.
    entries = Activity.objects.filter(source_key=f"oversight_interpellation:{case.pk}")
    assert sorted(entries.values_list("deputy_id", flat=True)) == sorted(
        m.pk for m in members[:signed]
    )
    assert {e.kind for e in entries} == {Activity.Kind.OVERSIGHT}
    handover = found.handover
    assert (handover.kind, handover.unit, handover.state) == (
        "interpellation",
        case.target_units.get(),
        "handed",
    )


def test_ten_deputies_of_the_congress_move_it_at_a_session(world):
    case = county_case(world, Kind.INTERPELLATION)
    deputies = deputies_of(world.county, 12, level="county")
    session = county_session(world, deputies)
    with pytest.raises(OversightError) as refused:
        _move(world, case, deputies[:9], setting="congress", session=session)
    assert refused.value.field == "movers"
    found = _move(world, case, deputies[:10], setting="congress", session=session)
    assert found.moved_on == session.date and found.movers.count() == 10


def test_only_members_on_the_day_or_seated_deputies_may_move_it(world):
    case = county_case(world, Kind.INTERPELLATION)
    members = members_of(world.county, 2, level="county")
    left = members_of(world.county, 1, level="county", ended_on=DAY)  # gone on the day
    township_deputy = deputies_of(world.township, 1, level="township")
    for movers in (members + left, members + township_deputy):
        with pytest.raises(OversightError) as refused:
            _move(world, case, movers)
        assert refused.value.field == "movers"
    # Deputies who sit on no standing committee cannot move it there, however many.
    deputies = deputies_of(world.county, 12, level="county")
    with pytest.raises(OversightError):
        _move(world, case, deputies)
    # A township congress has no standing committee; a session must be the case's congress.
    with pytest.raises(OversightError) as refused:
        _move(world, case, deputies[:10], setting="congress", session=None)
    assert refused.value.field == "session"


def test_only_the_office_of_the_congress_moves_it_for_the_record(world):
    case = county_case(world, Kind.INTERPELLATION)
    members = members_of(world.county, 3, level="county")
    for person in (world.staff, world.other_secretary, world.leader, world.county_unit_contact):
        with pytest.raises(OversightError) as refused:
            _move(world, case, members, by=person)
        assert refused.value.forbidden
    wrong_kind = county_case(world, Kind.INQUIRY)
    with pytest.raises(OversightError) as refused:
        _move(world, wrong_kind, members)
    assert refused.value.field == "case"


def _answered(world, found, text="已开展专项整治行动。"):
    handover_answer(handover=found.handover, by=world.county_unit_contact, text=text, on=DAY)
    found.refresh_from_db()
    return found


@pytest.mark.parametrize(("dissatisfied", "second"), [(3, False), (4, True)])
def test_more_than_half_dissatisfied_requires_a_second_answer(world, dissatisfied, second):
    case = county_case(world, Kind.INTERPELLATION)
    members = members_of(world.county, 6, level="county")
    found = _answered(world, _move(world, case, members))
    verdicts = {m.pk: i >= dissatisfied for i, m in enumerate(members)}
    found = interpellation_verdicts_record(
        interpellation=found, satisfied=verdicts, by=world.county_secretary, on=DAY
    )
    handover = Handover.objects.get(pk=found.handover_id)
    assert found.dissatisfied_first == dissatisfied
    if not second:  # exactly half: concluded
        assert (handover.state, handover.closure) == ("closed", "verified")
        return
    # More than half: back to the body questioned for its second answer, with a deadline.
    assert (handover.state, handover.round) == ("returned", 2)
    assert handover.due_on > DAY
    assert handover in Handover.objects.for_unit(world.county_unit.pk).with_unit()
    found = _answered(world, found, "已追责并建立长效机制。")
    found = interpellation_verdicts_record(
        interpellation=found,
        satisfied={m.pk: i > 0 for i, m in enumerate(members)},
        by=world.county_secretary,
        on=DAY,
    )
    handover.refresh_from_db()
    assert (handover.state, found.dissatisfied_second) == ("closed", 1)
    assert list(found.movers.values_list("satisfied_second", flat=True)) == [False] + [True] * 5


def test_every_verdict_is_recorded_and_only_after_an_answer(world):
    case = county_case(world, Kind.INTERPELLATION)
    members = members_of(world.county, 3, level="county")
    found = _move(world, case, members)
    with pytest.raises(OversightError):  # not answered yet
        interpellation_verdicts_record(
            interpellation=found, satisfied={m.pk: True for m in members}, by=world.county_secretary
        )
    found = _answered(world, found)
    with pytest.raises(OversightError) as refused:
        interpellation_verdicts_record(
            interpellation=found,
            satisfied={m.pk: True for m in members[:2]},
            by=world.county_secretary,
        )
    assert refused.value.field == "movers"


def test_the_answer_is_not_verified_by_hand_past_the_movers(world):
    case = county_case(world, Kind.INTERPELLATION)
    members = members_of(world.county, 3, level="county")
    found = _answered(world, _move(world, case, members))
    for accept in (True, False):
        with pytest.raises(HandoverError):
            handover_verify(
                handover=found.handover, by=world.county_secretary, accept=accept, reason="直接办结"
            )
    assert Handover.objects.get(pk=found.handover_id).state == "answered"


def test_the_page_moves_it_and_records_the_verdicts(world, as_user):
    case = county_case(world, Kind.INTERPELLATION)
    members = members_of(world.county, 4, level="county")
    page = as_user(world.county_secretary)
    url = f"/oversight/interpellation/{case.pk}/"
    shown = page.get(url).content.decode()
    assert "委员000" in shown and "至少3" in shown
    post = {
        "form": "move",
        "setting": "standing_committee",
        "moved_on": DAY.isoformat(),
        "unit": world.county_unit.pk,
        "subject": "十年禁渔",
        "text": "请答复。",
        "mode": "oral",
    }
    refused = page.post(url, post | {"movers": [members[0].pk, members[1].pk]})
    assert refused.status_code == 400 and "至少3" in refused.content.decode()
    assert page.post(url, post | {"movers": [m.pk for m in members[:3]]}).status_code == 302
    found = case.interpellations.get()
    _answered(world, found)
    verdicts = {"form": "verdicts", "interpellation": found.pk}
    verdicts |= {f"mover_{m.pk}": "no" for m in members[:2]}
    verdicts[f"mover_{members[2].pk}"] = "yes"
    assert page.post(url, verdicts).status_code == 302
    shown = page.get(url).content.decode()
    assert "须再次答复" in shown and "2 / 3" in shown
    assert page.post(url, {"form": "verdicts", "interpellation": "x"}).status_code == 404
    assert page.post(url, {"form": "commitment", "interpellation": str(2**40)}).status_code == 404
    promised = page.post(
        url,
        {
            "form": "commitment",
            "interpellation": found.pk,
            "text": "年底前完成专项整治",
            "due_on": "2026-12-31",
        },
    )
    assert promised.status_code == 302
    assert found.commitments.get().handover.kind == "oversight_commitment"
    # A leader reads it; the body questioned's contact reads it; others do not.
    assert as_user(world.leader).post(url, verdicts).status_code == 403
    assert as_user(world.county_unit_contact).get(url).status_code == 200
    assert as_user(world.township_unit_contact).get(url).status_code == 404
    assert as_user(world.other_secretary).get(url).status_code == 404
    assert as_user(world.deputy).get(url).status_code == 403
