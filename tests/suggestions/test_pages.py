"""The suggestion pages for every role: who sees which suggestions, the forms, the
statistics' four rates, and malformed input answering 4xx, never 500."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from deputies.models import Level
from handovers.services import handover_answer, handover_rate, handover_report_solved
from liaison_stations.models import Reception
from suggestions import selectors
from suggestions.models import Suggestion
from tests.suggestions.conftest import handed, submitted

pytestmark = pytest.mark.django_db
INDEX = reverse("suggestions:index")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def three(world, deputies):
    """A township suggestion handed to the county's transport bureau, a county one still
    submitted, and one of 卢峰镇 by another deputy (made directly: no account)."""
    township = handed(world, deputies)
    county = submitted(world, deputies, level=Level.COUNTY, region=world.county, title="县级建议")
    other = Suggestion.objects.create(
        level=Level.TOWNSHIP,
        region=world.other_township,
        year=2026,
        number=1,
        title="卢峰镇的建议",
        content="x",
        category="water",
        lead=deputies.other,
        status="submitted",
    )
    return {"township": township, "county": county, "other": other}


def titles(client) -> set[str]:
    response = client.get(INDEX)
    assert response.status_code == 200
    return {s.title for s in response.context["rows"]}


def test_each_role_sees_its_own_suggestions(world, deputies, three, as_user):
    everything = {"关于加快大埠至黄金街道路硬化的建议", "县级建议", "卢峰镇的建议"}
    assert titles(as_user(world.staff)) == everything
    assert titles(as_user(world.leader)) == everything
    assert titles(as_user(world.county_secretary)) == everything
    assert titles(as_user(world.secretary)) == {"关于加快大埠至黄金街道路硬化的建议"}
    assert titles(as_user(world.other_secretary)) == {"卢峰镇的建议"}
    assert titles(as_user(world.deputy)) == {"关于加快大埠至黄金街道路硬化的建议", "县级建议"}
    assert titles(as_user(deputies.cosigner_user)) == set()
    assert titles(as_user(deputies.county_contact)) == {"关于加快大埠至黄金街道路硬化的建议"}
    assert titles(as_user(world.unit_contact)) == set()


def test_a_suggestion_out_of_scope_is_a_404(world, deputies, three, as_user):
    url = reverse("suggestions:detail", args=[three["township"].pk])
    assert as_user(world.other_secretary).get(url).status_code == 404
    assert as_user(world.unit_contact).get(url).status_code == 404
    page = as_user(deputies.county_contact).get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("handovers:detail", args=[three["township"].handover.pk]) in html


def test_the_unit_filter_offers_the_units_of_the_suggestions_one_sees(
    world, deputies, three, as_user
):
    def offered(user) -> set:
        return set(as_user(user).get(INDEX).context["form"].fields["unit"].queryset)

    assert offered(world.staff) == {deputies.county_unit}
    assert offered(world.secretary) == {deputies.county_unit}
    # 卢峰镇's secretary sees their own suggestion only, handed to no unit yet
    assert offered(world.other_secretary) == set()
    refused = as_user(world.other_secretary).get(INDEX, {"unit": deputies.county_unit.pk})
    assert refused.status_code == 400


def test_the_list_filters_and_refuses_malformed_input(world, deputies, three, as_user):
    client = as_user(world.staff)
    assert {s.title for s in client.get(INDEX, {"status": "handed"}).context["rows"]} == {
        "关于加快大埠至黄金街道路硬化的建议"
    }
    assert {s.title for s in client.get(INDEX, {"region": "431224101"}).context["rows"]} == {
        "卢峰镇的建议"
    }
    assert {
        s.title for s in client.get(INDEX, {"unit": deputies.county_unit.pk}).context["rows"]
    } == {"关于加快大埠至黄金街道路硬化的建议"}
    for bad in (
        {"status": "nonsense"},
        {"year": "abc"},
        {"unit": "x"},
        {"region": "999"},
        {"answer_class": "Z"},
    ):
        assert client.get(INDEX, bad).status_code == 400, bad
    assert client.get(INDEX, {"page": "zz"}).status_code == 200
    assert client.get(reverse("suggestions:draft"), {"reception": "x"}).status_code == 400
    assert client.get(reverse("suggestions:draft"), {"reception": "99999"}).status_code == 404
    assert client.get(reverse("suggestions:statistics"), {"year": "1"}).status_code == 400


def test_a_deputy_submits_from_the_form_with_a_cosigner(world, deputies, as_user):
    client = as_user(world.deputy)
    page = client.get(reverse("suggestions:submit"))
    assert page.status_code == 200
    key = f"township:{world.township.pk}"
    response = client.post(
        reverse("suggestions:submit"),
        {
            "congress": key,
            "title": "关于黄茅园镇中心小学增设校车的建议",
            "content": "山区学生上学路远，建议增设校车。",
            "category": "education",
            "session": "",
            "co_signers": "舒志明",
        },
    )
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert response.url == suggestion.get_absolute_url()
    assert suggestion.number == 1 and suggestion.session == ""
    assert [s.deputy.name for s in suggestion.signatures.all()] == ["舒志明"]
    # The co-signer confirms from the page.
    cosigner = as_user(deputies.cosigner_user)
    assert "确认" in cosigner.get(suggestion.get_absolute_url()).content.decode()
    assert cosigner.post(reverse("suggestions:confirm", args=[suggestion.pk])).status_code == 302
    assert suggestion.signatures.get().confirmed_on == dt.date(2026, 3, 10)
    # Twice is refused with a message, not a 500.
    assert cosigner.post(reverse("suggestions:confirm", args=[suggestion.pk])).status_code == 400


def test_the_submit_form_names_what_is_wrong(world, deputies, as_user):
    client = as_user(world.deputy)
    response = client.post(
        reverse("suggestions:submit"),
        {
            "congress": f"township:{world.other_township.pk}",
            "title": "",
            "content": "x",
            "category": "roads",
            "co_signers": "不存在",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"congress", "title"}
    response = client.post(
        reverse("suggestions:submit"),
        {
            "congress": f"township:{world.township.pk}",
            "title": "关于路灯的建议",
            "content": "x",
            "category": "roads",
            "co_signers": "不存在",
        },
    )
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"co_signers"}
    assert not Suggestion.objects.exists()


def test_a_secretary_drafts_from_a_reception_page(world, deputies, reception, as_user):
    client = as_user(world.secretary)
    Reception.objects.filter(pk=reception.pk).update(handling=Reception.Handling.SUGGESTION)
    waiting = client.get(reverse("suggestions:draft"))
    assert reception in list(waiting.context["page"])
    url = reverse("suggestions:draft", query={"reception": reception.pk})
    form = client.get(url)
    assert form.status_code == 200
    response = client.post(
        url,
        {
            "lead": deputies.lead.pk,
            "congress": f"township:{world.township.pk}",
            "title": "关于加快大埠至黄金街道路硬化的建议",
            "content": reception.content,
            "category": "roads",
            "session": "黄茅园镇七届人大四次会议",
        },
    )
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302
    assert suggestion.status == "draft"
    # The reception's page shows the suggestion it became.
    page = client.get(reverse("liaison_stations:reception", args=[reception.pk])).content.decode()
    assert suggestion.get_absolute_url() in page
    # Drafting again from it answers 409 with the reason.
    assert client.post(url, {}).status_code == 409
    # Another township's secretary does not see the reception.
    assert as_user(world.other_secretary).get(url).status_code == 404


def test_the_office_screens_and_hands_over_from_the_page(world, deputies, as_user):
    suggestion = submitted(world, deputies)
    client = as_user(world.secretary)
    page = client.get(suggestion.get_absolute_url())
    assert page.context["intake_form"] is not None
    intake = reverse("suggestions:intake", args=[suggestion.pk])
    bad = client.post(intake, {"action": "merge", "version": suggestion.version, "reason": "x"})
    assert bad.status_code == 400
    assert "into" in bad.context["intake_form"].errors
    assert client.post(intake, {"action": "accept", "version": "x"}).status_code == 400
    ok = client.post(intake, {"action": "accept", "version": suggestion.version})
    assert ok.status_code == 302
    suggestion.refresh_from_db()
    page = client.get(suggestion.get_absolute_url())
    units = list(page.context["hand_over_form"].fields["unit"].queryset)
    assert deputies.county_unit in units
    hand = reverse("suggestions:hand_over", args=[suggestion.pk])
    late = client.post(
        hand,
        {"unit": deputies.county_unit.pk, "due_on": "2026-12-31", "version": suggestion.version},
    )
    assert late.status_code == 400
    assert "due_on" in late.context["hand_over_form"].errors
    ok = client.post(hand, {"unit": deputies.county_unit.pk, "version": suggestion.version})
    assert ok.status_code == 302
    suggestion.refresh_from_db()
    assert suggestion.status == "handed"
    # Staff do not keep a township's suggestions; a stale version is a conflict.
    assert as_user(world.staff).post(intake, {"action": "accept", "version": 1}).status_code in (
        400,
        403,
    )


def test_statistics_give_the_four_rates(world, deputies, as_user):
    one = handed(world, deputies, title="一").handover
    two = handed(world, deputies, title="二").handover
    three = handed(world, deputies, title="三").handover
    handed(world, deputies, title="四")  # not answered
    handover_answer(handover=one, by=deputies.county_contact, text="已解决", answer_class="A")
    handover_rate(handover=one, by=world.deputy, rating="satisfied")
    handover_answer(
        handover=two,
        by=deputies.county_contact,
        text="已列入计划",
        answer_class="B",
        on=dt.date(2026, 7, 1),  # after the deadline of 2026-06-10
    )
    handover_rate(handover=two, by=world.deputy, rating="unsatisfied")
    handover_answer(
        handover=two,
        by=deputies.county_contact,
        text="已开工",
        answer_class="B",
        on=dt.date(2026, 7, 5),
    )
    handover_rate(handover=two, by=world.deputy, rating="basic")
    handover_report_solved(handover=two, by=deputies.county_contact, text="已完工")
    handover_answer(
        handover=three, by=deputies.county_contact, text="暂不具备条件", answer_class="C"
    )
    handover_rate(handover=three, by=world.deputy, rating="unsatisfied")
    handover_answer(handover=three, by=deputies.county_contact, text="仍不具备", answer_class="C")
    handover_rate(handover=three, by=world.deputy, rating="unsatisfied")
    rates = selectors.rates_total(Suggestion.objects.all(), dt.date(2026, 3, 10))
    assert (rates.handed, rates.answered, rates.on_time, rates.rated) == (4, 3, 2, 3)
    assert (rates.satisfied, rates.solved) == (2, 2)
    assert (rates.answered_rate, rates.on_time_rate, rates.satisfied_rate, rates.solved_rate) == (
        75,
        67,
        67,
        67,
    )
    by_class = {
        r.label[0]: r.handed
        for r in selectors.rates_by_class(Suggestion.objects.all(), dt.date(2026, 3, 10))
    }
    assert by_class == {"A": 1, "B": 1, "C": 1}
    page = as_user(world.county_secretary).get(reverse("suggestions:statistics"))
    assert page.status_code == 200
    assert page.context["by_unit"][0].label == "溆浦县交通运输局"
    assert as_user(world.deputy).get(reverse("suggestions:statistics")).status_code == 403
