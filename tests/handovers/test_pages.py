"""The inbox and a handover's page: each role sees exactly what is handed to their unit
(or kept by their office), and each step's form is there, and answers, only for whom
may take it."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from handovers.models import Handover, HandoverFile
from handovers.services import handover_answer, handover_create
from tests.handovers.conftest import TODAY, VERIFIED

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% evidence\n"


def titles(response) -> set[str]:
    page = response.context["page"]
    return {handover.title for handover in page}


def test_the_inbox_shows_each_role_exactly_what_is_handed_to_their_unit(world, handed, as_user):
    rated, verified, other, county = (
        handed.rated.title,
        handed.verified.title,
        handed.other.title,
        handed.county.title,
    )
    everything = {rated, verified, other, county}
    expected = {
        "unit_contact": {rated, verified, other},  # main unit of two, helping with the third
        "outsider": {other},
        "county_unit_contact": {county},
        "township_unit_contact": {county},  # helping
        "staff": everything,
        "leader": everything,
        "admin": everything,
        "secretary": {verified},  # the township's work only
        "county_secretary": {verified, county},
        "other_secretary": set(),
    }
    assert set(expected) == set(world.people) - {"deputy"}
    for name, shown in expected.items():
        response = as_user(world.people[name]).get(reverse("handovers:index"))
        assert response.status_code == 200, name
        assert titles(response) == shown, name
    assert as_user(world.deputy).get(reverse("handovers:index")).status_code == 403


def test_a_unit_contact_gets_404_on_another_units_handover(world, handed, as_user):
    outsider = as_user(world.outsider)
    assert outsider.get(handed.rated.get_absolute_url()).status_code == 404
    county_unit = as_user(world.county_unit_contact)
    assert county_unit.get(handed.verified.get_absolute_url()).status_code == 404
    assert county_unit.get(handed.county.get_absolute_url()).status_code == 200
    township_unit = as_user(world.township_unit_contact)
    assert township_unit.get(handed.verified.get_absolute_url()).status_code == 404
    assert township_unit.get(handed.county.get_absolute_url()).status_code == 200
    # Helping is enough to open it; the secretary opens their township's, not the city's.
    assert as_user(world.unit_contact).get(handed.other.get_absolute_url()).status_code == 200
    assert as_user(world.secretary).get(handed.rated.get_absolute_url()).status_code == 404
    assert as_user(world.deputy).get(handed.rated.get_absolute_url()).status_code == 200
    assert as_user(world.deputy).get(handed.verified.get_absolute_url()).status_code == 404


def test_the_inbox_sorts_late_work_first_and_names_its_colour_in_words(world, handed, as_user):
    response = as_user(world.unit_contact).get(reverse("handovers:index"))
    rows = list(response.context["page"])
    assert [row.title for row in rows] == [
        handed.verified.title,  # red: 5 days past its deadline
        handed.other.title,  # yellow: 3 days left
        handed.rated.title,  # green
    ]
    assert [row.colour for row in rows] == ["red", "yellow", "green"]
    html = response.content.decode()
    assert "badge--bad" in html and "badge--warn" in html
    assert response.context["totals"] == {"open": 3, "yellow": 1, "red": 1}
    assert rows[0].age_days == 40
    assert rows[1].helping and not rows[0].helping


def test_filters_and_the_office_counts_by_unit(world, handed, as_user):
    staff = as_user(world.staff)
    response = staff.get(reverse("handovers:index"))
    units = {unit["name"]: unit for unit in response.context["units"]}
    assert units["代表工委"] == {
        "pk": world.unit.pk,
        "name": "代表工委",
        "open": 2,
        "yellow": 0,
        "red": 1,
    }
    assert [unit["name"] for unit in response.context["late_units"]] == ["代表工委"]
    # Clicking a unit filters: its work as main or helping unit.
    response = staff.get(reverse("handovers:index", query={"unit": world.other_unit.pk}))
    assert titles(response) == {handed.other.title}
    response = staff.get(reverse("handovers:index", query={"colour": "red"}))
    assert titles(response) == {handed.verified.title}
    response = staff.get(reverse("handovers:index", query={"kind": VERIFIED}))
    assert titles(response) == {handed.verified.title, handed.other.title, handed.county.title}
    response = staff.get(reverse("handovers:index", query={"region": world.county.code}))
    assert titles(response) == {handed.verified.title, handed.county.title}
    response = staff.get(reverse("handovers:index", query={"q": "法律"}))
    assert titles(response) == {handed.other.title}
    # htmx gets the list alone.
    fragment = staff.get(reverse("handovers:index"), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert b'id="results"' in fragment.content and b"<html" not in fragment.content


def test_the_unit_filter_offers_the_units_whose_work_the_person_sees(world, handed, as_user):
    """A secretary picks among the units of their region's work (main or helping, a
    county's department included), not every unit of the city or province."""
    secretary = as_user(world.county_secretary)
    response = secretary.get(reverse("handovers:index"))
    offered = set(response.context["form"].fields["unit"].queryset)
    # the county's own item (its department, the township's government helping) and the
    # township's (the city's unit); not the city's item handed to the other unit
    assert offered == {world.county_unit, world.township_unit, world.unit}
    assert str(world.other_unit) not in response.content.decode()
    refused = secretary.get(reverse("handovers:index", query={"unit": world.other_unit.pk}))
    assert refused.status_code == 400
    # The office naming no region still picks among every unit.
    everyone = as_user(world.staff).get(reverse("handovers:index"))
    assert world.other_unit in set(everyone.context["form"].fields["unit"].queryset)


@pytest.mark.parametrize(
    "query",
    [
        {"colour": "purple"},
        {"unit": "abc"},
        {"unit": "99999999999999999999"},
        {"state": "zzz"},
        {"kind": "zzz"},
        {"region": "nowhere"},
        {"q": "查" * 200},
    ],
)
def test_bad_filters_are_a_400_with_the_form_never_a_500(world, handed, as_user, query):
    response = as_user(world.staff).get(reverse("handovers:index", query=query))
    assert response.status_code == 400
    assert response.context["form"].errors


def test_a_bad_page_is_a_normal_page_and_a_unit_contact_has_no_unit_filter(world, handed, as_user):
    staff = as_user(world.staff)
    assert staff.get(reverse("handovers:index", query={"page": "x"})).status_code == 200
    assert staff.get(reverse("handovers:index", query={"page": "-1"})).status_code == 200
    unit = as_user(world.unit_contact)
    response = unit.get(reverse("handovers:index", query={"unit": world.other_unit.pk}))
    assert response.status_code == 200
    assert "unit" not in response.context["form"].fields
    assert len(titles(response)) == 3


@pytest.mark.parametrize("size", [3, 30])
def test_the_inbox_query_count_does_not_grow_with_rows(
    world, test_kinds, frozen, as_user, django_assert_max_num_queries, size
):
    for n in range(size):
        handover_create(
            kind=VERIFIED,
            subject=world.township,
            title=f"事项{n}",
            region=world.township if n % 2 else world.city,
            unit=world.unit if n % 3 else world.other_unit,
            by=world.staff,
            handed_on=TODAY - dt.timedelta(days=20),
            due_on=TODAY + dt.timedelta(days=n - 10),
        )
    for person in (world.staff, world.unit_contact, world.secretary):
        client = as_user(person)
        client.get(reverse("handovers:index"))  # the session, once
        with django_assert_max_num_queries(10):
            assert client.get(reverse("handovers:index")).status_code == 200
    handover = Handover.objects.first()
    client = as_user(world.staff)
    with django_assert_max_num_queries(14):
        assert client.get(handover.get_absolute_url()).status_code == 200


# --- The steps -------------------------------------------------------------------------------


def post(client, name, handover, data=None, **extra):
    return client.post(reverse(f"handovers:{name}", args=[handover.pk]), data or {}, **extra)


def test_the_main_unit_answers_with_class_and_evidence_and_the_deputy_rates(world, handed, as_user):
    unit = as_user(world.unit_contact)
    page = unit.get(handed.rated.get_absolute_url())
    assert set(page.context["forms"]) == {"answer"}
    evidence = SimpleUploadedFile("现场照片.pdf", PDF, content_type="application/pdf")
    response = post(
        unit,
        "answer",
        handed.rated,
        {"text": "已列入明年计划", "answer_class": "B", "version": 1, "files": [evidence]},
    )
    assert response.status_code == 302
    handover = Handover.objects.get(pk=handed.rated.pk)
    assert (handover.state, handover.answer_class) == ("answered", "B")
    file = HandoverFile.objects.get()
    # The file: to whoever sees the handover, 404 to anyone else.
    assert (
        as_user(world.deputy).get(reverse("handovers:evidence", args=[file.pk])).status_code == 200
    )
    assert (
        as_user(world.outsider).get(reverse("handovers:evidence", args=[file.pk])).status_code
        == 404
    )
    # The deputy rates on the page: 不满意 sends it back once.
    deputy = as_user(world.deputy)
    assert set(deputy.get(handover.get_absolute_url()).context["forms"]) == {"rate"}
    assert (
        post(as_user(world.staff), "rate", handover, {"rating": "basic", "version": 2}).status_code
        == 403
    )
    response = post(
        deputy, "rate", handover, {"rating": "unsatisfied", "comment": "没有时间表", "version": 2}
    )
    assert response.status_code == 302
    handover.refresh_from_db()
    assert (handover.state, handover.round) == ("returned", 2)
    # The second answer is final, and shown as such.
    response = post(
        unit,
        "answer",
        handover,
        {"text": "已安排资金", "answer_class": "A", "version": handover.version},
    )
    assert response.status_code == 302
    page = deputy.get(handover.get_absolute_url())
    assert page.context["final_answer"]
    assert "第二次答复（最终）" in page.content.decode()


def test_a_refused_answer_is_shown_beside_its_field(world, handed, as_user):
    unit = as_user(world.unit_contact)
    response = post(unit, "answer", handed.rated, {"text": "已办", "version": 1})
    assert response.status_code == 400
    assert response.context["forms"]["answer"].errors["answer_class"]
    response = post(unit, "answer", handed.rated, {"text": " ", "answer_class": "A", "version": 1})
    assert response.context["forms"]["answer"].errors["text"]
    bad = SimpleUploadedFile("a.exe", b"MZ", content_type="application/octet-stream")
    response = post(
        unit,
        "answer",
        handed.rated,
        {"text": "答复", "answer_class": "A", "version": 1, "files": [bad]},
    )
    assert response.status_code == 400
    assert response.context["forms"]["answer"].errors["files"]
    assert Handover.objects.get(pk=handed.rated.pk).state == "handed"


def test_a_stale_form_is_a_409_and_shows_the_item_as_it_is(world, handed, as_user):
    unit = as_user(world.unit_contact)
    handover_answer(handover=handed.rated, by=world.unit_contact, text="已办", answer_class="A")
    response = post(
        unit, "answer", handed.rated, {"text": "又一次", "answer_class": "A", "version": 1}
    )
    assert response.status_code == 409
    assert response.context["handover"].state == "answered"


def test_the_office_verifies_and_refusing_needs_a_reason(world, handed, as_user):
    handover = handed.verified
    handover_answer(handover=handover, by=world.unit_contact, text="已修复")
    handover.refresh_from_db()
    secretary = as_user(world.secretary)
    assert set(secretary.get(handover.get_absolute_url()).context["forms"]) == {"verify"}
    for person in (world.unit_contact, world.leader, world.other_secretary):
        status = post(
            as_user(person), "verify", handover, {"accept": "yes", "version": handover.version}
        ).status_code
        assert status in (403, 404)
    response = post(
        secretary, "verify", handover, {"accept": "no", "reason": "", "version": handover.version}
    )
    assert response.status_code == 400
    assert response.context["forms"]["verify"].errors["reason"]
    response = post(secretary, "verify", handover, {"accept": "yes", "version": handover.version})
    assert response.status_code == 302
    handover.refresh_from_db()
    assert (handover.state, handover.closure) == ("closed", "verified")


def test_helping_units_send_their_opinion_and_only_they(world, handed, as_user):
    unit = as_user(world.unit_contact)
    assert set(unit.get(handed.other.get_absolute_url()).context["forms"]) == {"opinion"}
    assert (
        post(as_user(world.outsider), "opinion", handed.other, {"opinion": "x"}).status_code == 403
    )
    assert post(unit, "opinion", handed.other, {"opinion": ""}).status_code == 400
    assert post(unit, "opinion", handed.other, {"opinion": "建议与司法所共建"}).status_code == 302
    assert handed.other.assists.get().sent_on == TODAY
    # The main unit answers; a helping unit cannot.
    assert post(unit, "answer", handed.other, {"text": "x", "version": 1}).status_code == 403


def test_the_office_extends_within_the_limit_with_a_reason(world, handed, as_user):
    staff = as_user(world.staff)
    handover = handed.rated
    assert "extend" in staff.get(handover.get_absolute_url()).context["forms"]
    too_late = {"due_on": "2026-10-01", "reason": "跨部门", "version": 1}
    response = post(staff, "extend", handover, too_late)
    assert response.status_code == 400
    assert response.context["forms"]["extend"].errors["due_on"]
    assert (
        post(staff, "extend", handover, {"due_on": "2026-13-01", "version": 1}).status_code == 400
    )
    assert post(as_user(world.unit_contact), "extend", handover, too_late).status_code == 403
    ok = {"due_on": "2026-08-10", "reason": "涉及跨部门协调", "version": 1}
    assert post(staff, "extend", handover, ok).status_code == 302
    handover.refresh_from_db()
    assert handover.due_on == dt.date(2026, 8, 10)
    assert "涉及跨部门协调" in staff.get(handover.get_absolute_url()).content.decode()


def test_the_office_closes_an_unrated_answer_after_the_wait(world, handed, as_user, settings):
    handover = handed.rated
    handover_answer(handover=handover, by=world.unit_contact, text="已办", answer_class="A")
    handover.refresh_from_db()
    staff = as_user(world.staff)
    assert "close" not in staff.get(handover.get_absolute_url()).context["forms"]
    assert post(staff, "close", handover, {"version": handover.version}).status_code == 400
    later = dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC) + dt.timedelta(
        days=settings.HANDOVER_RATING_WAIT_DAYS
    )
    with time_machine.travel(later, tick=False):
        staff = as_user(world.staff)  # signed in again: a month on, the session is over
        assert "close" in staff.get(handover.get_absolute_url()).context["forms"]
        assert (
            post(
                as_user(world.deputy), "close", handover, {"version": handover.version}
            ).status_code
            == 403
        )
        assert post(staff, "close", handover, {"version": handover.version}).status_code == 302
    handover.refresh_from_db()
    assert handover.closure == "no_feedback"


def test_a_b_answer_is_reported_solved_by_the_main_unit(world, handed, as_user):
    handover = handed.rated
    handover_answer(handover=handover, by=world.unit_contact, text="已列入计划", answer_class="B")
    handover.refresh_from_db()
    unit = as_user(world.unit_contact)
    assert "solved" in unit.get(handover.get_absolute_url()).context["forms"]
    assert post(as_user(world.staff), "solved", handover, {"text": "x"}).status_code == 403
    assert post(unit, "solved", handover, {"text": ""}).status_code == 400
    assert post(unit, "solved", handover, {"text": "已完工通车"}).status_code == 302
    handover.refresh_from_db()
    assert handover.solved_on == TODAY


def test_a_malformed_step_is_a_400_never_a_500(world, handed, as_user):
    unit = as_user(world.unit_contact)
    for data in ({"version": "abc"}, {"version": "99999999999999999999"}, {}):
        assert post(unit, "answer", handed.rated, data).status_code == 400
    staff = as_user(world.staff)
    assert post(staff, "extend", handed.rated, {"due_on": "x", "version": "1"}).status_code == 400
    assert (
        post(staff, "verify", handed.verified, {"accept": "explode", "version": 1}).status_code
        == 400
    )
    assert unit.get(reverse("handovers:answer", args=[handed.rated.pk])).status_code == 405
    assert post(unit, "answer", Handover(pk=2147483647)).status_code == 404


def test_verified_kinds_are_not_rated_and_the_kind_is_shown(world, handed, as_user):
    response = as_user(world.staff).get(handed.verified.get_absolute_url())
    html = response.content.decode()
    assert "督导事项（测试）" in html
    assert "村道破损" in html
    assert handover_create  # imported for the fixtures' kinds
