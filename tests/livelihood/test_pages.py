"""The livelihood pages: scoping, forms, malformed parameters and query budgets."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from livelihood.models import Proposal
from livelihood.reminders import sweep
from notifications.models import Notification
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.django_db


def test_each_role_sees_its_scope_of_the_list(world, deputies, as_user):
    mine = make_proposal(world, title="黄茅园镇金中村路灯安装")
    county = make_proposal(world, region=world.county, level="county", title="溆浦县农贸市场改造")
    other = make_proposal(world, region=world.other_township, title="卢峰镇山塘除险加固")
    city = make_proposal(world, region=world.city, level="city", title="城区公厕提质改造")
    seen = {
        "staff": {mine, county, other, city},
        "secretary": {mine},
        "county_secretary": {mine, county, other},
        "deputy": {mine, county},  # the deputy sits in 黄茅园镇's and 溆浦县's congresses
    }
    for person, expected in seen.items():
        html = as_user(world.people[person]).get(reverse("livelihood:index")).content.decode()
        shown = {p for p in (mine, county, other, city) if p.title in html}
        assert shown == expected, person
    assert as_user(world.unit_contact).get(reverse("livelihood:index")).status_code == 403
    assert (
        as_user(world.secretary).get(reverse("livelihood:proposal", args=[other.pk])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "query", ["?year=abc", "?status=nonsense", "?region=nowhere", "?source=1", "?page=x&year=1"]
)
def test_malformed_filters_answer_400(world, as_user, query):
    response = as_user(world.staff).get(reverse("livelihood:index") + query)
    assert response.status_code in (200, 400)
    if "page=x" not in query:
        assert response.status_code == 400


def test_malformed_parameters_of_the_other_pages_are_4xx(world, as_user):
    client = as_user(world.secretary)
    assert client.get(reverse("livelihood:propose") + "?reception=abc").status_code == 400
    assert client.get(reverse("livelihood:propose") + "?reception=99999").status_code == 404
    assert client.get(reverse("livelihood:pools") + "?year=20x6").status_code == 400
    assert client.get("/livelihood/notanumber/").status_code == 404


def test_the_secretary_proposes_from_a_reception_through_the_page(world, as_user, reception):
    client = as_user(world.secretary)
    url = reverse("livelihood:propose") + f"?reception={reception.pk}"
    page = client.get(url)
    assert page.status_code == 200 and reception.content in page.content.decode()
    response = client.post(
        url,
        {
            "congress": f"township:{world.township.pk}",
            "title": "金中村通组公路硬化",
            "place": "金中村",
            "estimated_cost": "38.5",
            "beneficiaries": "650",
            "description": "",
        },
    )
    made = Proposal.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    reception.refresh_from_db()
    assert reception.follow_up == made
    # The reception's page shows what it became; a second post is refused.
    html = client.get(reverse("liaison_stations:reception", args=[reception.pk])).content.decode()
    assert made.get_absolute_url() in html
    assert client.post(url, {"congress": "x"}).status_code == 409


def test_the_reception_page_offers_the_proposal_form(world, as_user, reception):
    html = (
        as_user(world.secretary)
        .get(reverse("liaison_stations:reception", args=[reception.pk]))
        .content.decode()
    )
    assert f"/livelihood/new/?reception={reception.pk}" in html


def test_a_refused_screening_shows_beside_its_field(world, as_user):
    proposal = make_proposal(world)
    response = as_user(world.secretary).post(
        reverse("livelihood:screen", args=[proposal.pk]),
        {"version": proposal.version, "decision": "reject", "reason": ""},
    )
    assert response.status_code == 400
    assert "请填写不予采纳的理由" in response.content.decode()


def test_the_proposer_reads_the_reason_of_a_rejection(world, deputies, as_user):
    proposal = make_proposal(world, proposer=world.deputy)
    as_user(world.secretary).post(
        reverse("livelihood:screen", args=[proposal.pk]),
        {"version": proposal.version, "decision": "reject", "reason": "已列入县交通局年度计划"},
    )
    html = as_user(world.deputy).get(proposal.get_absolute_url()).content.decode()
    assert "已列入县交通局年度计划" in html


def test_the_list_keeps_its_query_count_whatever_the_rows(world, deputies, as_user):
    client = as_user(world.staff)
    make_proposal(world)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("livelihood:index"))
    for i in range(30):
        make_proposal(world, title=f"项目{i}", region=world.other_township, proposer=world.deputy)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("livelihood:index")).status_code == 200
    assert len(many) == len(few)


def test_deputies_are_reminded_once_of_each_proposal_to_deliberate(world, deputies):
    open_one = make_proposal(world)
    make_proposal(world, status="reserve", title="已入库")
    make_proposal(world, region=world.other_township, title="卢峰镇项目")
    # 陆友红 and 舒志明 of 黄茅园镇 (向红梅 has no account); no project, so no milestone.
    assert sweep() == {"deliberate": 2, "milestone_due": 0, "milestone_late": 0}
    assert sweep()["deliberate"] == 0
    notice = Notification.objects.get(user=world.deputy)
    assert notice.url == open_one.get_absolute_url()
    assert notice.title == "民生实事项目待审议：大埠至黄金街飞跃桥道路硬化"


def test_the_pools_page_shows_what_each_pool_pays_and_has_left(world, as_user):
    from decimal import Decimal

    from livelihood.models import FundPool

    for region, amount in [(world.township, 100), (world.county, 200)]:
        FundPool.objects.create(
            year=2026, level="township", region=region, funded_by=region, amount=Decimal(amount)
        )
    make_proposal(world, status="chosen", cost="130")  # 30 more than 黄茅园镇's own pool
    make_proposal(world, region=world.other_township, status="candidate", cost="50")
    response = as_user(world.secretary).get(reverse("livelihood:pools") + "?year=2026")
    rows = {(p.region.name, p.used, p.left) for p in response.context["rows"]}
    # The township secretary sees the county's pool for its townships too.
    assert rows == {
        ("黄茅园镇", Decimal("100.00"), Decimal("0.00")),
        ("溆浦县", Decimal("80.00"), Decimal("120.00")),
    }


def test_the_home_page_says_what_waits_for_deliberation_and_screening(world, deputies, as_user):
    from livelihood.services import comment_add

    first = make_proposal(world)
    make_proposal(world, title="第二个", status="deliberating")
    make_proposal(world, region=world.other_township, title="卢峰镇")
    html = as_user(world.deputy).get(reverse("home")).content.decode()
    assert "2个项目建议待您提出审议意见" in html
    comment_add(proposal=first, by=world.deputy, text="同意")
    html = as_user(world.deputy).get(reverse("home")).content.decode()
    assert "1个项目建议待您提出审议意见" in html
    assert "2个项目建议待筛选" in as_user(world.secretary).get(reverse("home")).content.decode()
    assert "待筛选" not in as_user(world.staff).get(reverse("home")).content.decode()
