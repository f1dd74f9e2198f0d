"""The pages of the chosen projects: a unit contact's scope, the phone report with a photo,
the photo view, the pool page's money, the home panels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from livelihood.delivery import allocation_make, milestone_add, projects_open
from livelihood.models import FundPool, ProgressPhoto, Project
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PHONE = {"HTTP_USER_AGENT": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile"}


@pytest.fixture
def projects(world):
    mine = make_proposal(world, status="chosen", title="飞跃桥道路硬化")
    other = make_proposal(
        world, region=world.other_township, status="chosen", title="卢峰镇山塘除险加固"
    )
    projects_open([mine.pk, other.pk])
    pool = FundPool.objects.create(
        year=2026, level="township", region=world.township, funded_by=world.township, amount=100
    )
    project = Project.objects.get(proposal=mine)
    allocation_make(pool=pool, project=project, amount="45", by=world.secretary)
    return project, Project.objects.get(proposal=other), pool


def test_a_unit_contact_sees_only_its_units_projects(world, projects, as_user):
    mine, other, _pool = projects
    client = as_user(world.township_unit_contact)
    html = client.get(reverse("livelihood:projects")).content.decode()
    assert "飞跃桥道路硬化" in html and "卢峰镇山塘除险加固" not in html
    assert client.get(reverse("livelihood:project", args=[mine.pk])).status_code == 200
    assert client.get(reverse("livelihood:project", args=[other.pk])).status_code == 404
    assert client.get(reverse("livelihood:project_report", args=[other.pk])).status_code == 404
    outsider = as_user(world.county_unit_contact)
    assert outsider.get(reverse("livelihood:project", args=[mine.pk])).status_code == 404
    assert as_user(world.township_unit_contact).get(reverse("livelihood:pools")).status_code == 403


def test_the_unit_reports_from_a_phone_with_a_photo(world, projects, as_user):
    mine, _other, _pool = projects
    client = as_user(world.township_unit_contact)
    url = reverse("livelihood:project_report", args=[mine.pk])
    page = client.get(url, **PHONE)
    assert page.status_code == 200 and 'type="file"' in page.content.decode()
    response = client.post(
        url,
        {
            "text": "路基平整完成",
            "spent": "12.5",
            "version": mine.version,
            "photos": [SimpleUploadedFile("site.png", PNG, content_type="image/png")],
        },
        **PHONE,
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.spent == Decimal("12.5") and mine.state == "under_way"
    photo = ProgressPhoto.objects.get()
    assert client.get(reverse("livelihood:photo", args=[photo.pk])).status_code == 200
    assert (
        as_user(world.county_unit_contact)
        .get(reverse("livelihood:photo", args=[photo.pk]))
        .status_code
        == 404
    )
    html = client.get(reverse("livelihood:project", args=[mine.pk])).content.decode()
    assert "路基平整完成" in html and reverse("livelihood:photo", args=[photo.pk]) in html


def test_a_report_spending_too_much_names_the_field(world, projects, as_user):
    mine, _other, _pool = projects
    client = as_user(world.township_unit_contact)
    response = client.post(
        reverse("livelihood:project_report", args=[mine.pk]),
        {"text": "浇筑", "spent": "46", "version": mine.version},
    )
    assert response.status_code == 400
    assert "已安排资金仅剩 45.00 万元可支出" in response.content.decode()


def test_staff_allocate_on_the_project_page_and_the_pool_page_shows_the_money(
    world, projects, as_user
):
    _mine, _other, pool = projects
    client = as_user(world.staff)
    html = client.get(reverse("livelihood:pools") + "?year=2026").content.decode()
    assert "45.00" in html and "55.00" in html  # allocated, not yet allocated
    secretary = as_user(world.secretary)
    mine = Project.objects.get(proposal__title="飞跃桥道路硬化")
    response = secretary.post(
        reverse("livelihood:project_action", args=[mine.pk, "allocate"]),
        {"pool": pool.pk, "amount": "60"},
    )
    assert response.status_code == 400
    assert "资金池仅剩 55.00 万元可安排" in response.content.decode()


def test_a_late_milestone_shows_on_the_units_and_the_staffs_home(world, projects, as_user):
    mine, _other, _pool = projects
    milestone_add(
        project=mine, by=world.township_unit_contact, title="路基", due=dt.date(2026, 1, 5)
    )
    unit_home = as_user(world.township_unit_contact).get(reverse("home")).content.decode()
    assert "飞跃桥道路硬化" in unit_home and "节点逾期" in unit_home
    staff_home = as_user(world.staff).get(reverse("home")).content.decode()
    assert "飞跃桥道路硬化" in staff_home
    html = as_user(world.township_unit_contact).get(reverse("livelihood:projects")).content
    assert "节点逾期" in html.decode()


def test_the_list_and_the_pool_page_keep_their_query_count(world, projects, as_user):
    client = as_user(world.staff)
    client.get(reverse("livelihood:projects"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("livelihood:projects"))
        client.get(reverse("livelihood:pools") + "?year=2026")
    for n in range(20):
        p = make_proposal(world, status="chosen", title=f"项目{n}")
        projects_open([p.pk])
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("livelihood:projects"))
        client.get(reverse("livelihood:pools") + "?year=2026")
    assert len(many) == len(few)


def test_a_units_projects_show_on_its_inbox_beside_its_handovers(world, projects, as_user):
    mine, _other, _pool = projects
    milestone_add(
        project=mine, by=world.township_unit_contact, title="路基", due=dt.date(2026, 1, 5)
    )
    html = as_user(world.township_unit_contact).get(reverse("handovers:index")).content.decode()
    assert "本单位承办的民生实事" in html
    assert reverse("livelihood:project", args=[mine.pk]) in html and "节点逾期" in html
    # Another unit's inbox does not show them; the htmx list alone carries no panels.
    other = as_user(world.county_unit_contact).get(reverse("handovers:index")).content.decode()
    assert "飞跃桥道路硬化" not in other
    fragment = as_user(world.township_unit_contact).get(
        reverse("handovers:index"), HTTP_HX_REQUEST="true"
    )
    assert "飞跃桥道路硬化" not in fragment.content.decode()
