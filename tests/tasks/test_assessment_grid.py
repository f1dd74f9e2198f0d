"""The quarterly assessment (考责): the last finished quarter by default, the whole grid in
one save (all rows or none, errors beside the cells), each row's status and % at quarter
end, and unit rankings weighted by the tasks' weights."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from tasks.models import Assessment, ProgressReport
from tasks.selectors import last_finished_quarter, quarter_end, unit_ranking
from tasks.services.assessment import assessment_record, assessments_confirm
from tasks.status import TaskStatus
from tests.conftest import PHONE, axe_violations, browser_login
from tests.tasks.factories import ProgressReportFactory, TaskFactory, TaskListFactory

pytestmark = pytest.mark.django_db


def score(task, quarter, total, *, by, year=2026):
    """Scores adding up to ``total`` (split over the four parts)."""
    parts = [min(25, max(0, total - 25 * i)) for i in range(4)]
    return assessment_record(
        task=task,
        year=year,
        quarter=quarter,
        completion=parts[0],
        timeliness=parts[1],
        quality=parts[2],
        evidence_score=parts[3],
        by=by,
    )


def grid_data(task_list, year, quarter, rows):
    data = {"list": task_list.pk, "year": year, "quarter": quarter}
    for task, parts, *version in rows:
        names = ("completion", "timeliness", "quality", "evidence_score")
        data |= {f"t{task.pk}-{n}": v for n, v in zip(names, parts, strict=True)}
        data[f"t{task.pk}-version"] = version[0] if version else 0
    return data


@pytest.fixture
def three(world):
    """A 2026 list with three tasks: two led by the contact's unit, one by another unit."""
    first = TaskFactory(aspect__task_list__year=2026, lead_unit=world.unit, weight=1)
    task_list = first.task_list
    second = TaskFactory(task_list=task_list, aspect=first.aspect, lead_unit=world.unit)
    third = TaskFactory(task_list=task_list, aspect=first.aspect, lead_unit=world.other_unit)
    return task_list, [first, second, third]


# --- The quarter shown ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 12, 6), (2026, 3)),
        (dt.date(2026, 10, 1), (2026, 3)),
        (dt.date(2026, 9, 30), (2026, 2)),
        (dt.date(2027, 2, 15), (2026, 4)),
        (dt.date(2027, 4, 1), (2027, 1)),
    ],
)
def test_the_last_finished_quarter(today, expected):
    assert last_finished_quarter(today) == expected


def test_quarter_ends():
    assert quarter_end(2026, 1) == dt.date(2026, 3, 31)
    assert quarter_end(2026, 3) == dt.date(2026, 9, 30)
    assert quarter_end(2026, 4) == dt.date(2026, 12, 31)


def test_the_page_opens_on_the_last_finished_quarter_named_in_words(
    world, as_user, three, monkeypatch
):
    task_list, _tasks = three
    TaskListFactory(year=2025)  # an older list: the quarter's year picks the list
    monkeypatch.setattr("tasks.views.assessment.timezone.localdate", lambda: dt.date(2026, 12, 6))
    response = as_user(world.staff).get(reverse("tasks:assessment"))
    assert response.status_code == 200
    context = response.context
    assert (context["year"], context["quarter"], context["task_list"]) == (2026, 3, task_list)
    page = response.content.decode()
    assert "2026年第三季度" in page
    assert 'value="3" selected' in page  # the filter shows the quarter shown
    # Named in words in the title and heading, not "Q1" nor "Q3" (a random token elsewhere
    # on the page may hold those two characters).
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S).group(1)
    assert "2026年第三季度" in title + heading
    assert not re.search(r"Q[1-4]", title + heading)


# --- One grid, one save -------------------------------------------------------------------------


def test_every_row_is_saved_in_one_post(world, as_user, three):
    task_list, (first, second, third) = three
    data = grid_data(
        task_list,
        2026,
        3,
        [(first, (25, 20, 20, 15)), (second, (10, 10, 10, 10)), (third, (20, 20, 20, 20))],
    )
    response = as_user(world.staff).post(reverse("tasks:assessment_score"), data)
    assert response.status_code == 302
    totals = dict(Assessment.objects.filter(year=2026, quarter=3).values_list("task", "total"))
    assert totals == {first.pk: 80, second.pk: 40, third.pk: 80}
    assert Assessment.objects.get(task=first).assessed_by == world.staff


def test_an_empty_row_is_not_scored_and_an_unchanged_row_is_not_saved_again(world, as_user, three):
    task_list, (first, second, third) = three
    kept = score(first, 3, 80, by=world.staff)
    data = grid_data(task_list, 2026, 3, [(first, (25, 25, 25, 5), kept.version)])
    data |= grid_data(task_list, 2026, 3, [(second, (20, 20, 20, 20))])
    assert as_user(world.staff).post(reverse("tasks:assessment_score"), data).status_code == 302
    kept.refresh_from_db()
    assert kept.version == 1  # the same scores: nothing written
    assert set(Assessment.objects.values_list("task", flat=True)) == {first.pk, second.pk}


def test_a_row_filled_in_part_saves_nothing_and_says_so_beside_its_cells(world, as_user, three):
    task_list, (first, second, third) = three
    data = grid_data(task_list, 2026, 3, [(first, (25, 20, 20, 15)), (third, (20, 20, 20, 20))])
    data[f"t{second.pk}-completion"] = 20  # the other three left empty
    data[f"t{third.pk}-quality"] = 26  # out of range
    response = as_user(world.staff).post(reverse("tasks:assessment_score"), data)
    assert response.status_code == 400
    assert not Assessment.objects.exists()
    page = response.content.decode()
    assert "未保存任何评分" in page
    assert page.count("本行须填满四项，或整行留空") == 2 * 3  # wide and phone layouts
    assert f'id="w-t{second.pk}-timeliness-error"' in page
    assert f'id="w-t{third.pk}-quality-error"' in page
    # What was typed is kept for the next try.
    assert f'name="t{first.pk}-completion" id="w-t{first.pk}-completion" value="25"' in page


def test_a_row_the_service_refuses_saves_nothing_and_names_the_row(world, as_user, three):
    task_list, (first, second, third) = three
    theirs = score(second, 3, 60, by=world.staff)  # scored meanwhile: version 1
    data = grid_data(
        task_list,
        2026,
        3,
        [(first, (25, 20, 20, 15)), (second, (10, 10, 10, 10), 0), (third, (5, 5, 5, 5))],
    )
    response = as_user(world.staff).post(reverse("tasks:assessment_score"), data)
    assert response.status_code == 409
    assert list(Assessment.objects.values_list("task", "total")) == [(second.pk, 60)]
    theirs.refresh_from_db()
    assert theirs.version == 1
    rows = {row.task.pk: row for row in response.context["rows"]}
    assert "其他人" in rows[second.pk].error
    assert rows[first.pk].error == "" and rows[third.pk].error == ""


def test_confirmed_rows_are_shown_not_offered_and_cannot_be_posted(world, as_user, three):
    task_list, (first, second, third) = three
    score(first, 3, 80, by=world.staff)
    assessments_confirm(task_list=task_list, year=2026, quarter=3, by=world.leader)
    page = as_user(world.staff).get(
        reverse("tasks:assessment"), {"list": task_list.pk, "year": 2026, "quarter": 3}
    )
    html = page.content.decode()
    assert f'name="t{first.pk}-completion"' not in html
    assert f'name="t{second.pk}-completion"' in html
    data = grid_data(task_list, 2026, 3, [(first, (1, 1, 1, 1), 1)])
    assert as_user(world.staff).post(reverse("tasks:assessment_score"), data).status_code == 302
    assert Assessment.objects.get(task=first).total == 80


def test_the_live_total_is_a_deferred_static_script_and_the_saved_total_is_shown(
    world, as_user, three
):
    task_list, (first, *_rest) = three
    score(first, 3, 77, by=world.staff)
    page = as_user(world.staff).get(
        reverse("tasks:assessment"), {"list": task_list.pk, "year": 2026, "quarter": 3}
    )
    html = page.content.decode()
    assert '<script src="/static/js/assessment.js" defer></script>' in html
    assert "<output data-total>77</output>" in html
    assert "<script>" not in html


def test_only_staff_save_the_grid(world, as_user, three):
    task_list, (first, *_rest) = three
    data = grid_data(task_list, 2026, 3, [(first, (25, 25, 25, 25))])
    for person in (world.leader, world.unit_contact, world.secretary):
        assert as_user(person).post(reverse("tasks:assessment_score"), data).status_code == 403
    assert not Assessment.objects.exists()


# --- What each row shows: status and % at quarter end -----------------------------------------


def test_each_row_shows_status_and_percent_as_of_the_quarters_last_day(world, as_user, three):
    task_list, (first, second, third) = three
    tz = timezone.get_current_timezone()
    ProgressReportFactory(
        task=first,
        unit=world.unit,
        month=dt.date(2026, 9, 1),
        percent=60,
        status=ProgressReport.Status.ACCEPTED,
        submitted_at=dt.datetime(2026, 9, 20, tzinfo=tz),
        reviewed_at=dt.datetime(2026, 9, 22, tzinfo=tz),
    )
    ProgressReportFactory(  # after the quarter: not what the third quarter is scored on
        task=first,
        unit=world.unit,
        month=dt.date(2026, 11, 1),
        percent=100,
        status=ProgressReport.Status.ACCEPTED,
        submitted_at=dt.datetime(2026, 11, 20, tzinfo=tz),
        reviewed_at=dt.datetime(2026, 11, 22, tzinfo=tz),
    )
    first.completed_on = dt.date(2026, 11, 22)
    first.percent_done = 100
    first.save()
    response = as_user(world.staff).get(
        reverse("tasks:assessment"), {"list": task_list.pk, "year": 2026, "quarter": 3}
    )
    rows = {row.task.pk: row for row in response.context["rows"]}
    assert rows[first.pk].task.share == 60
    assert rows[first.pk].status == TaskStatus.ON_TRACK  # done only in November
    assert rows[second.pk].task.share == 0
    assert rows[second.pk].status == TaskStatus.NOT_STARTED
    html = response.content.decode()
    assert "正常推进</span> 60%" in html
    later = as_user(world.staff).get(
        reverse("tasks:assessment"), {"list": task_list.pk, "year": 2026, "quarter": 4}
    )
    rows = {row.task.pk: row for row in later.context["rows"]}
    assert rows[first.pk].status == TaskStatus.DONE and rows[first.pk].task.share == 100


# --- Rankings weighted by the tasks' weights ---------------------------------------------------


@pytest.fixture
def weighted(world):
    """代表工委 (world.unit) leads a heavy task (weight 3) and a light one (weight 1);
    the other unit leads one task of weight 2."""
    heavy = TaskFactory(aspect__task_list__year=2026, lead_unit=world.unit, weight=3)
    task_list = heavy.task_list
    light = TaskFactory(task_list=task_list, aspect=heavy.aspect, lead_unit=world.unit, weight=1)
    other = TaskFactory(
        task_list=task_list, aspect=heavy.aspect, lead_unit=world.other_unit, weight=2
    )
    return task_list, heavy, light, other


def test_a_units_score_counts_each_task_by_its_weight(world, weighted):
    task_list, heavy, light, other = weighted
    score(heavy, 3, 90, by=world.staff)
    score(light, 3, 50, by=world.staff)
    score(other, 3, 82, by=world.staff)
    ranking = unit_ranking(task_list, year=2026, quarter=3)
    # (90 × 3 + 50 × 1) / 4 = 80, not the plain average 70; the other unit's 82 is first.
    assert [(r["unit"], r["average"], r["rank"], r["tasks"]) for r in ranking] == [
        (world.other_unit.pk, 82, 1, 1),
        (world.unit.pk, 80, 2, 2),
    ]


def test_the_quarter_and_the_year_rank_differently_when_the_scores_differ(world, as_user, weighted):
    task_list, heavy, light, other = weighted
    # First quarter: 代表工委 far ahead. Third quarter: the other unit ahead.
    score(heavy, 1, 100, by=world.staff)
    score(light, 1, 100, by=world.staff)
    score(other, 1, 40, by=world.staff)
    score(heavy, 3, 60, by=world.staff)
    score(light, 3, 60, by=world.staff)
    score(other, 3, 70, by=world.staff)
    quarter = unit_ranking(task_list, year=2026, quarter=3)
    year = unit_ranking(task_list, year=2026)
    assert [r["unit"] for r in quarter] == [world.other_unit.pk, world.unit.pk]
    assert [r["unit"] for r in year] == [world.unit.pk, world.other_unit.pk]
    mine = next(r for r in year if r["unit"] == world.unit.pk)
    # (100×3 + 100×1 + 60×3 + 60×1) / 8 = 80, from 2 tasks scored 4 times.
    assert (mine["average"], mine["tasks"], mine["scored"]) == (80, 2, 4)
    page = (
        as_user(world.leader)
        .get(reverse("tasks:assessment"), {"list": task_list.pk, "year": 2026, "quarter": 3})
        .content.decode()
    )
    mine_name = world.unit.short_name or world.unit.name
    other_name = world.other_unit.short_name or world.other_unit.name
    quarter_card = page[page.index('id="rank-q"') : page.index('id="rank-y"')]
    year_card = page[page.index('id="rank-y"') : page.index('id="scores-title"')]
    assert "2026年第三季度单位排名" in quarter_card and "2026年全年单位排名" in year_card
    assert quarter_card.index(other_name) < quarter_card.index(mine_name)
    assert year_card.index(mine_name) < year_card.index(other_name)
    assert "2 项任务 · 4 次评分" in year_card


# --- In Chromium at 375 px: the cards, one save, the live total -----------------------------


@pytest.mark.browser
def test_on_a_phone_the_grid_is_cards_with_a_live_total_and_one_save(world, three, new_page):
    task_list, (first, second, _third) = three
    page = new_page(viewport=PHONE)
    browser_login(page, "staff")
    page.goto(f"/tasks/assessment/?list={task_list.pk}&year=2026&quarter=3")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert not page.locator("table.score-grid").is_visible()
    for name, value in (("completion", "20"), ("timeliness", "18"), ("quality", "22")):
        page.locator(f"#n-t{first.pk}-{name}").fill(value)
    card = page.locator(".task-row", has=page.locator(f"#n-t{first.pk}-completion"))
    assert card.locator("output[data-total]").inner_text() == "60"
    page.locator(f"#n-t{first.pk}-evidence_score").fill("10")
    assert card.locator("output[data-total]").inner_text() == "70"
    for name in ("completion", "timeliness", "quality", "evidence_score"):
        page.locator(f"#n-t{second.pk}-{name}").fill("25")
    assert axe_violations(page) == []
    page.locator("form.narrow-only button[type=submit]").click()
    page.wait_for_url("**/tasks/assessment/?**")
    totals = dict(Assessment.objects.values_list("task", "total"))
    assert totals == {first.pk: 70, second.pk: 100}


# --- The page's query count does not grow with the list ---------------------------------------


def test_the_grid_costs_the_same_queries_for_3_tasks_and_for_30(world, as_user, three):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    task_list, (first, *_rest) = three
    score(first, 3, 80, by=world.staff)
    client = as_user(world.staff)
    query = {"list": task_list.pk, "year": 2026, "quarter": 3}

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("tasks:assessment"), query).status_code == 200
        return len(queries)

    small = count()
    assert small <= 11  # session, user, lists, tasks + scores, two rankings, messages…
    for _i in range(27):
        task = TaskFactory(task_list=task_list, aspect=first.aspect, lead_unit=world.other_unit)
        score(task, 3, 70, by=world.staff)
    assert count() == small
