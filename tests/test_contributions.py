"""Each module declares what it adds to the portal on its AppConfig
(congress_portal/contributions.py); the hosts collect the declarations.

The collected navigation, beat schedule, demo seeders, home panels and report sections
are pinned here as they were when each host kept its own list. A throw-away module
(tests/bulletin_board) then shows that a module needs nothing but its declaration to
appear on the home page, in the navigation and in the monthly PDF.
"""

import datetime as dt

import pytest
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.test import modify_settings, override_settings
from django.urls import reverse

from congress_portal.celery import app as celery_app
from congress_portal.contributions import Contribution, contributions
from congress_portal.schedule import beat_schedule
from organisation.management.commands.seed_demo import seeders
from organisation.navigation import items_for, navigation
from reports.document import render_monthly
from tests.conftest import client_for
from tests.reports.pdf import pdf_text

NAVIGATION = [
    "home",
    "handovers:index",
    "tasks:index",
    "deputies:index",
    "suggestions:index",
    "liaison_stations:index",
    "livelihood:index",
    "livelihood:projects",  # the unit contacts' way to their unit's chosen projects
    "ballots:index",
    "oversight:index",
    "reports:index",
    "organisation:regions",
]


def test_the_navigation_keeps_its_order_and_its_roles(world):
    assert [item.url_name for item in navigation()] == NAVIGATION
    office = [name for name in NAVIGATION if name != "livelihood:projects"]
    seen = {
        "admin": NAVIGATION,
        "staff": office,
        # Leaders run no session (ballots:index is the staff's and the secretaries').
        "leader": [name for name in office if name != "ballots:index"],
        "unit_contact": ["home", "handovers:index", "tasks:index", "livelihood:projects"],
        "outsider": ["home", "handovers:index", "tasks:index", "livelihood:projects"],
        "secretary": [
            "home",
            "handovers:index",
            "deputies:index",
            "suggestions:index",
            "liaison_stations:index",
            "livelihood:index",
            "ballots:index",
            "oversight:index",
            "organisation:regions",
        ],
        "county_secretary": [
            "home",
            "handovers:index",
            "deputies:index",
            "suggestions:index",
            "liaison_stations:index",
            "livelihood:index",
            "ballots:index",
            "oversight:index",
            "organisation:regions",
        ],
        "deputy": [
            "home",
            "deputies:index",
            "suggestions:index",
            "liaison_stations:index",
            "livelihood:index",
        ],
    }
    for person, url_names in seen.items():
        assert [i["url_name"] for i in items_for(world.people[person])] == url_names, person


def test_the_collected_beat_schedule_is_the_one_beat_ran_before():
    schedule = {
        key: (entry["task"], str(entry["schedule"])) for key, entry in beat_schedule().items()
    }
    assert schedule == {
        "handovers-reminders": (
            "handovers.sweep_reminders",
            "<crontab: 30 8 * * * (m/h/dM/MY/d)>",
        ),
        "tasks-reminders": ("tasks.sweep_reminders", "<crontab: 0 8 * * * (m/h/dM/MY/d)>"),
        "tasks-import-files": ("tasks.purge_import_files", "<crontab: 30 3 * * * (m/h/dM/MY/d)>"),
        "stations-reminders": (
            "liaison_stations.sweep_reminders",
            "<crontab: 0 16 * * * (m/h/dM/MY/d)>",
        ),
        "stations-rota": (
            "liaison_stations.generate_rota",
            "<crontab: 30 1 * * * (m/h/dM/MY/d)>",
        ),
        "livelihood-reminders": (
            "livelihood.sweep_reminders",
            "<crontab: 15 8 * * * (m/h/dM/MY/d)>",
        ),
        "ballots-reminders": (
            "ballots.sweep_reminders",
            "<crontab: 10 16 * * * (m/h/dM/MY/d)>",
        ),
        "notifications-dispatch": (
            "notifications.dispatch_deliveries",
            "<crontab: */5 * * * * (m/h/dM/MY/d)>",
        ),
        "reports-monthly": ("reports.monthly_report", "<crontab: 0 2 1 * * (m/h/dM/MY/d)>"),
    }
    assert list(schedule) == list(celery_app.conf.beat_schedule)  # what beat reads


def test_two_modules_cannot_schedule_jobs_under_one_key(monkeypatch):
    job = {"task": "tasks.sweep_reminders", "schedule": crontab(hour=8, minute=0)}
    twice = [Contribution(beat={"reminders": job}), Contribution(beat={"reminders": job})]
    monkeypatch.setattr("congress_portal.schedule.contributions", lambda: twice)
    with pytest.raises(ImproperlyConfigured, match="'reminders'"):
        beat_schedule()


def test_demo_data_is_seeded_in_dependency_order():
    assert seeders() == [
        "organisation.demo.seed",
        "deputies.demo.seed",
        "liaison_stations.demo.seed",
        "tasks.demo.seed",
        "suggestions.demo.seed",
        "livelihood.demo.seed",
        "oversight.demo.seed",
        "ballots.demo.seed",
    ]


def test_home_panels_and_report_sections_come_from_the_modules_that_fill_them():
    assert [c.panels for c in contributions() if c.panels] == [
        "handovers.panels.home_panels",
        "tasks.panels.home_panels",
        "liaison_stations.panels.home_panels",
        "suggestions.panels.home_panels",
        "ballots.panels.home_panels",
        "livelihood.panels.home_panels",
        "oversight.panels.home_panels",
        "notifications.panels.home_panels",
        "reports.panels.home_panels",
    ]
    assert [c.report_sections for c in contributions() if c.report_sections] == [
        "handovers.report_sections.sections",
        "tasks.report_sections.sections",
        "liaison_stations.report_sections.sections",
        "suggestions.report_sections.sections",
        "livelihood.report_sections.sections",
        "oversight.report_sections.sections",
    ]


# --- A module with nothing in it but its declaration ---------------------------------

with_bulletin_board = [
    modify_settings(INSTALLED_APPS={"append": "tests.bulletin_board"}),
    override_settings(ROOT_URLCONF="tests.bulletin_board.urls"),
]


def plugged_in(test):
    for decorator in reversed(with_bulletin_board):
        test = decorator(test)
    return test


@pytest.mark.django_db
@plugged_in
def test_a_new_module_appears_on_the_home_page_and_in_the_navigation(world):
    html = client_for(world.deputy).get(reverse("home")).content.decode()
    assert '<section class="card panel" aria-label="本周公告">' in html
    assert "本周有3条新公告待阅。" in html
    nav = html.split('class="site-nav"')[1].split("</nav>")[0]
    # Placed by its order: after the stations (30), livelihood projects (40) and the
    # sessions (45), before reports and organisation.
    assert nav.index(">联络站<") < nav.index('<a href="/bulletins/">公告栏</a>')
    office = [name for name in NAVIGATION if name != "livelihood:projects"]
    assert [i["url_name"] for i in items_for(world.staff)] == [
        *office[:8],
        "bulletin_board:index",
        *office[8:],
    ]


@pytest.mark.django_db
@plugged_in
def test_a_new_module_appears_in_the_monthly_pdf(world, tmp_path):
    target = tmp_path / "report.pdf"
    target.write_bytes(render_monthly(dt.date(2025, 3, 1)).pdf)
    text = pdf_text(target)
    chapter = text.split("\n公告栏发布情况\n")[1]  # its own chapter, after the summary
    assert "3月共发布公告7条，均已按时阅知。" in chapter
    figures = text.split("\n主要数据\n")[1].split("\n公告栏发布情况\n")[0]
    assert "条公告 7" in " ".join(figures.split())  # a row of the summary's key figures


def test_without_it_the_module_is_nowhere():
    assert "bulletin_board:index" not in [item.url_name for item in navigation()]
    assert not any("bulletin" in (c.panels or "") for c in contributions())
