"""专题询问: questions by members or deputies, respondents and answers; each commitment a
handover to the unit, due on the promised day, in its /inbox/."""

from __future__ import annotations

import datetime as dt

import pytest

from deputies.models import Activity
from handovers.models import Handover
from handovers.services import handover_answer, handover_verify
from oversight.hearings import commitment_add, question_add, question_answer, respondent_add
from oversight.models import Kind
from oversight.services import OversightError
from tests.oversight.hearing_fixtures import DAY, county_case, deputies_of, members_of

pytestmark = pytest.mark.django_db


def test_a_commitment_is_tracked_to_its_due_date_in_the_units_inbox(world, as_user):
    case = county_case(world, Kind.INQUIRY)
    member = members_of(world.county, 1, level="county")[0]
    deputy = deputies_of(world.county, 1, level="county")[0]
    outsider = deputies_of(world.township, 1, level="township")[0]
    by = world.county_secretary
    chief = respondent_add(case=case, unit=world.county_unit, name="舒海波", title="局长", by=by)
    first = question_add(
        case=case,
        asker=member,
        respondent=chief,
        text="农村公路养护资金为何未足额到位？",
        asked_on=DAY,
        by=by,
    )
    second = question_add(
        case=case, asker=deputy, respondent=chief, text="何时完成危桥改造？", asked_on=DAY, by=by
    )
    assert (first.number, first.asker_is_member, second.number, second.asker_is_member) == (
        1,
        True,
        2,
        False,
    )
    with pytest.raises(OversightError) as refused:  # a township deputy does not ask here
        question_add(case=case, asker=outsider, respondent=chief, text="?", asked_on=DAY, by=by)
    assert refused.value.field == "asker"
    # Each asker's performance record holds the inquiry; the refused one's does not.
    asked = Activity.objects.filter(source_key=f"oversight_inquiry:{case.pk}")
    assert sorted(asked.values_list("deputy_id", flat=True)) == sorted([member.pk, deputy.pk])
    with pytest.raises(OversightError) as refused:  # no answer, no commitment
        commitment_add(question=first, text="年底前到位", due_on=DAY + dt.timedelta(days=90), by=by)
    assert refused.value.field == "question"
    question_answer(question=first, answer="资金将分两批拨付。", answered_on=DAY, by=by)
    with pytest.raises(OversightError) as refused:
        commitment_add(question=first, text="到位", due_on=DAY, by=by)
    assert refused.value.field == "due_on"
    due = dt.date(2026, 12, 31)
    promise = commitment_add(question=first, text="养护资金年底前足额到位", due_on=due, by=by)
    handover = promise.handover
    assert (handover.kind, handover.unit, handover.due_on, handover.state) == (
        "oversight_commitment",
        world.county_unit,
        due,
        "handed",
    )
    # The unit sees it in its inbox, answers; the office checks it was kept.
    inbox = as_user(world.county_unit_contact).get("/inbox/").content.decode()
    assert "养护资金年底前足额到位" in inbox
    handover_answer(handover=handover, by=world.county_unit_contact, text="已全部拨付。")
    handover_verify(handover=handover, by=by, accept=True)
    assert Handover.objects.get(pk=handover.pk).closure == "verified"
    # Only the congress's office records an inquiry.
    for person in (world.staff, world.other_secretary, world.leader):
        with pytest.raises(OversightError):
            respondent_add(case=case, unit=world.county_unit, name="x", title="y", by=person)


def test_the_inquiry_page(world, as_user):
    case = county_case(world, Kind.INQUIRY)
    member = members_of(world.county, 1, level="county")[0]
    page = as_user(world.county_secretary)
    url = f"/oversight/inquiry/{case.pk}/"
    assert (
        page.post(
            url,
            {"form": "respondent", "unit": world.county_unit.pk, "name": "舒海波", "title": "局长"},
        ).status_code
        == 302
    )
    chief = case.respondents.get()
    made = page.post(
        url,
        {
            "form": "question",
            "asker": member.pk,
            "respondent": chief.pk,
            "text": "资金何时到位？",
            "asked_on": DAY.isoformat(),
        },
    )
    assert made.status_code == 302
    question = case.questions.get()
    assert (
        page.post(
            url,
            {
                "form": "answer",
                "question": question.pk,
                "answer": "年底前。",
                "answered_on": DAY.isoformat(),
            },
        ).status_code
        == 302
    )
    refused = page.post(
        url,
        {"form": "commitment", "question": question.pk, "text": "到位", "due_on": DAY.isoformat()},
    )
    assert refused.status_code == 400
    assert (
        page.post(
            url,
            {
                "form": "commitment",
                "question": question.pk,
                "text": "年底前足额到位",
                "due_on": "2026-12-31",
            },
        ).status_code
        == 302
    )
    assert (
        page.post(
            url,
            {"form": "answer", "question": str(2**40), "answer": "x", "answered_on": "2026-06-26"},
        ).status_code
        == 400
    )
    shown = page.get(url).content.decode()
    assert "年底前足额到位" in shown and "舒海波" in shown and "资金何时到位" in shown
    assert as_user(world.leader).get(url).status_code == 200
    assert as_user(world.leader).post(url, {"form": "respondent"}).status_code == 403
    assert as_user(world.county_unit_contact).get(url).status_code == 200
    assert as_user(world.township_unit_contact).get(url).status_code == 404
    assert as_user(world.other_secretary).get(url).status_code == 404
    assert as_user(world.deputy).get(url).status_code == 403
    # A case of another kind has no inquiry page.
    other = county_case(world, Kind.INTERPELLATION)
    assert page.get(f"/oversight/inquiry/{other.pk}/").status_code == 404
