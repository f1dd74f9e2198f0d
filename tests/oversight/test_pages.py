"""The oversight pages and who sees what: the city's staff keep the city's cases, a
county secretary their county's (and sees no other), a unit only its own rectification
items and review opinions."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deputies.models import Activity
from oversight.models import Case, Participant, Problem, ReviewOpinion
from oversight.services import opinion_issue, problems_hand_over
from tests.factories import DeputyFactory
from tests.oversight.conftest import DAY, add_problems, make_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def both(world):
    city = make_case(world)
    county = make_case(world, county=True)
    city_problems = add_problems(world, city, n=2)
    county_problems = add_problems(
        world, county, n=1, unit=world.county_unit, by=world.county_secretary
    )
    problems_hand_over(case=city, by=world.staff, on=DAY)
    problems_hand_over(case=county, by=world.county_secretary, on=DAY)
    return city, county, city_problems, county_problems


def test_a_county_secretary_sees_only_their_countys_cases(world, both, as_user):
    city, county, *_ = both
    client = as_user(world.county_secretary)
    index = client.get(reverse("oversight:index"), {"year": 2026}).content.decode()
    assert county.title in index and city.title not in index
    assert client.get(city.get_absolute_url()).status_code == 404
    assert client.get(county.get_absolute_url()).status_code == 200
    # A township secretary of another county's township: none of them.
    assert as_user(world.other_secretary).get(county.get_absolute_url()).status_code == 404
    assert set(Case.objects.visible_to(world.county_secretary)) == {county}
    # Staff and leaders see both; the city staff keep only the city's.
    staff = as_user(world.staff)
    assert staff.get(county.get_absolute_url()).status_code == 200
    page = staff.get(city.get_absolute_url()).content.decode()
    assert reverse("oversight:visit", args=[city.pk]) not in page  # nothing reported yet
    assert reverse("oversight:problem_new", args=[city.pk]) in page
    county_page = staff.get(county.get_absolute_url()).content.decode()
    assert reverse("oversight:problem_new", args=[county.pk]) not in county_page
    assert staff.get(reverse("oversight:problem_new", args=[county.pk])).status_code == 404


def test_a_unit_sees_only_its_own_rectification_items(world, both, as_user):
    city, county, city_problems, county_problems = both
    mine = as_user(world.outsider)  # 市司法局, the city problems' unit
    assert mine.get(city_problems[0].get_absolute_url()).status_code == 200
    assert mine.get(county_problems[0].get_absolute_url()).status_code == 404
    assert mine.get(city.get_absolute_url()).status_code == 403  # cases are the congress's
    assert mine.get(reverse("oversight:index")).status_code == 403
    assert set(Problem.objects.visible_to(world.outsider)) == set(city_problems)
    other = as_user(world.county_unit_contact)
    assert other.get(city_problems[0].get_absolute_url()).status_code == 404
    assert set(Problem.objects.visible_to(world.county_unit_contact)) == set(county_problems)
    # The inbox shows the unit its items, and nobody else's.
    inbox = mine.get("/inbox/").content.decode()
    assert "整改" in inbox and "溆浦县" not in inbox


def test_review_opinions_are_seen_by_their_unit(world, both, as_user):
    city, *_ = both
    opinion = opinion_issue(
        case=city,
        unit=world.other_unit,
        title="关于环境保护法执法检查报告的审议意见",
        text="一、加大扬尘污染治理力度。",
        due_on=DAY + dt.timedelta(days=90),
        issued_on=DAY,
        by=world.staff,
    )
    assert opinion.state == ReviewOpinion.State.ISSUED
    assert as_user(world.outsider).get(opinion.get_absolute_url()).status_code == 200
    assert as_user(world.county_unit_contact).get(opinion.get_absolute_url()).status_code == 404


def test_staff_record_a_case_with_its_parts(world, as_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = as_user(world.staff)
    response = client.post(
        reverse("oversight:case_new"),
        {
            "kind": "law_inspection",
            "title": "大气污染防治法执法检查",
            "year": 2026,
            "lead_committee": "环境与资源保护工作委员会",
            "joint_levels": ["county"],
            "target_units": [world.other_unit.pk],
            "started_on": "2026-04-01",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(title="大气污染防治法执法检查")
    assert case.state == Case.State.RUNNING and case.joint_levels == ["county"]
    client.post(
        reverse("oversight:stage_add", args=[case.pk]),
        {"name": "实地检查", "planned_on": "2026-04-10"},
    )
    pdf = SimpleUploadedFile("方案.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(
        reverse("oversight:document_add", args=[case.pk]), {"title": "检查方案", "file": pdf}
    )
    deputy = DeputyFactory(name="王先波", region=world.city)
    from tests.factories import MandateFactory

    MandateFactory(deputy=deputy, level="city", region=world.city)
    client.post(
        reverse("oversight:participants", args=[case.pk]), {"deputy": deputy.pk, "role": "deputy"}
    )
    assert Participant.objects.filter(case=case, deputy=deputy).exists()
    activity = Activity.objects.get(source_key=f"oversight_case:{case.pk}")
    assert activity.deputy == deputy and activity.kind == Activity.Kind.INSPECTION
    record = client.get(reverse("deputies:record", args=[deputy.pk])).content.decode()
    assert f'href="{case.get_absolute_url()}"' in record  # the entry links to its case
    page = client.get(case.get_absolute_url()).content.decode()
    assert "实地检查" in page and "检查方案" in page and "王先波" in page
    row = Participant.objects.get(case=case, deputy=deputy)
    client.post(reverse("oversight:participant_remove", args=[row.pk]))
    assert not Activity.objects.filter(source_key=f"oversight_case:{case.pk}").exists()
    doc = case.documents.get()
    assert client.get(reverse("oversight:document", args=[doc.pk])).status_code == 200
    assert (
        as_user(world.county_secretary)
        .get(reverse("oversight:document", args=[doc.pk]))
        .status_code
        == 404
    )


def test_the_pages_answer(world, both, as_user):
    city, *_ = both
    client = as_user(world.staff)
    for name in ("oversight:index", "oversight:plan", "oversight:members", "oversight:case_new"):
        assert client.get(reverse(name)).status_code == 200, name
    for name in (
        "case",
        "case_edit",
        "participants",
        "problem_new",
        "visit",
        "second_review",
        "opinion_new",
    ):
        assert client.get(reverse(f"oversight:{name}", args=[city.pk])).status_code == 200, name
    assert as_user(world.leader).get(reverse("oversight:case_new")).status_code == 403
