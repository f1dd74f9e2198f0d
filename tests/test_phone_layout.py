"""On a phone (375 px) in Chromium, every main page of every role fits the screen: nothing
scrolls sideways (not the page, not a table inside it) and no table is squeezed into
one-character columns; and axe-core finds no serious or critical violation there.

The main pages are read, not listed: the navigation each role sees (the modules'
declarations, ``organisation.navigation.items_for``), the pages the sub-navigation on
those pages links to (the stations' 今日值班, 网上留言, 接待记录…), and the list pages
that show cards on a phone (``LIST_PAGES``). A new module's pages are covered as soon as
it declares its navigation item.

The world is crowded enough to make tables wide: long requests, referrals to two units,
overdue ones, deputies with two levels and a group, follow-up items, scores, ratings.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from deputies.models import Level, ProfessionalGroup
from liaison_stations.models import Reception
from liaison_stations.services import standard_rating_set
from organisation.navigation import items_for
from tasks.selectors import last_finished_quarter
from tasks.services.assessment import assessment_record
from tasks.services.supervision import follow_up_add, supervision_visit_record
from tests.conftest import PHONE, axe_violations, browser_login
from tests.factories import MandateFactory
from tests.liaison_stations.conftest import places  # noqa: F401  (fixture)
from tests.liaison_stations.factories import ReceptionFactory, criteria
from tests.tasks.conftest import task  # noqa: F401  (fixture)
from tests.tasks.factories import TaskFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The demo usernames of the world's people, one per role.
ROLES = ["staff", "leader", "unit", "secretary", "deputy", "admin"]

LONG = (
    "村里通组公路路面破损严重，雨天泥泞难行，学生上学和农产品外运都受影响，希望尽快硬化并加装路灯"
)

# What a page measures in the browser: the page wider than the screen, an element inside
# it that scrolls sideways (a table in its .table-wrap), a table cell narrower than two
# characters while its text is longer (the one-character columns of a squeezed table).
MEASURE = """() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    problems.push(`the page is ${root.scrollWidth}px wide`);
  }
  const name = e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).trim().split(/\\s+/).join('.') : '');
  for (const e of document.querySelectorAll('body *')) {
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(e.tagName) || !e.getClientRects().length) continue;
    const overflow = getComputedStyle(e).overflowX;
    if ((overflow === 'auto' || overflow === 'scroll') && e.scrollWidth > e.clientWidth + 1) {
      problems.push(`${name(e)} scrolls sideways (${e.scrollWidth}px in ${e.clientWidth}px)`);
    }
  }
  for (const cell of document.querySelectorAll('td, th')) {
    if (!cell.getClientRects().length) continue;
    const style = getComputedStyle(cell);
    const width = cell.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
    const text = cell.innerText.trim();
    if (text.length > 2 && width < 2 * parseFloat(style.fontSize)) {
      problems.push(`a column squeezed to ${Math.round(width)}px: “${text.slice(0, 12)}”`);
    }
  }
  return problems;
}"""

# Sub-navigation inside a page (the stations' pages bar).
SUBNAV_LINKS = "els => els.map(e => e.getAttribute('href'))"


@pytest.fixture
def crowded(world, places, task):  # noqa: F811
    today = timezone.localdate()
    home = places["home"]
    for n, unit in enumerate([world.unit, world.other_unit, world.unit]):
        ReceptionFactory(
            station=home,
            content=f"{LONG}（{n + 1}）",
            village="金中村第十二村民小组",
            category=Reception.Category.SOCIAL,
            handling=Reception.Handling.REFERRED,
            referred_unit=unit,
            referral_due=today - dt.timedelta(days=3 - 2 * n),
            received_at=timezone.now() - dt.timedelta(days=40 + n),
        )
    for _n in range(2):
        ReceptionFactory(
            station=home, content=LONG, channel=Reception.Channel.ONLINE, village="金中村"
        )
    group = ProfessionalGroup.objects.create(name="乡村振兴与农业农村代表小组")
    for deputy in home.deputies.all():
        MandateFactory(deputy=deputy, level=Level.TOWNSHIP)
        MandateFactory(deputy=deputy, level=Level.COUNTY, congress="溆浦县第十八届人民代表大会")
        deputy.groups.add(group)
    TaskFactory(
        task_list=task.task_list,
        aspect=task.aspect,
        lead_unit=world.other_unit,
        content=LONG,
        deadline=today - dt.timedelta(days=3),
    )
    visit = supervision_visit_record(
        leader=world.leader,
        visited_on=today - dt.timedelta(days=30),
        places="溆浦县黄茅园镇",
        tasks=[task],
        by=world.leader,
    )
    for days in (-1, 10):  # one overdue, one due soon
        follow_up_add(
            visit=visit,
            task=task,
            unit=world.unit,
            description=LONG,
            due_date=today + dt.timedelta(days=days),
        )
    # The quarter the assessment page opens on, and it left unconfirmed: staff score it.
    year, quarter = last_finished_quarter(today)
    assessment_record(
        task=task,
        year=year,
        quarter=quarter,
        completion=20,
        timeliness=18,
        quality=22,
        evidence_score=19,
        by=world.staff,
    )
    for number, criterion in enumerate(criteria(), start=1):
        standard_rating_set(
            station=home, criterion=criterion, met=number % 3 != 0, rated_on=today, by=None
        )
    return places


LIST_PAGES = [
    ("liaison_stations:inbox", {}),
    ("liaison_stations:receptions", {}),
    ("liaison_stations:referrals", {}),
    ("liaison_stations:standard", {}),
    ("liaison_stations:station", {"code": "hmy-01"}),
    ("deputies:index", {}),
    ("tasks:supervision", {}),
    ("tasks:assessment", {}),
]


def main_pages(page, user) -> list[str]:
    """The role's navigation, the sub-navigation on those pages, then the list pages."""
    paths = [item["url"] for item in items_for(user)]
    for path in list(paths):
        page.goto(path)
        for href in page.locator("main nav a").evaluate_all(SUBNAV_LINKS):
            if href and href.startswith("/") and href not in paths:
                paths.append(href)
    paths += [reverse(name, kwargs=kwargs) for name, kwargs in LIST_PAGES]
    return list(dict.fromkeys(paths))


@pytest.mark.parametrize("username", ROLES)
def test_every_main_page_fits_a_phone(world, crowded, new_page, username):
    user = next(p for p in world.people.values() if p.username == username)
    page = new_page(viewport=PHONE)
    browser_login(page, username)
    problems = {}
    opened = []
    for path in main_pages(page, user):
        response = page.goto(path)
        if response is None or response.status != 200:  # a page this role may not open
            continue
        opened.append(path)
        found = page.evaluate(MEASURE) + [
            f"axe: {v['id']} ({v['impact']}) at {v['nodes']}" for v in axe_violations(page)
        ]
        if found:
            problems[path] = found[:3] + [f"… {len(found) - 3} more"] * (len(found) > 3)
    assert len(opened) >= 3, opened  # the nav and the list pages were reached
    assert problems == {}, f"{username} on a phone: {problems}"
