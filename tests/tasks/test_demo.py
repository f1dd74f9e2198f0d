"""The demo lists: their size, a lively mix of statuses this year, last year's list closed,
and a cheap second run."""

import pytest
from django.urls import reverse
from django.utils import timezone

from organisation.models import User
from tasks import demo
from tasks.models import Assessment, FollowUpItem, ProgressReport, SupervisionVisit, Task, TaskList
from tasks.selectors import status_counts, unit_ranking
from tasks.status import TaskStatus

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo_city")]


@pytest.fixture
def seeded():
    """The demo city (``seed_demo``, once per session) and the accounts the lists' seeder
    names on it."""
    return demo.seed()


def test_demo_lists_and_second_run(seeded, django_assert_max_num_queries):
    assert {"leader2", "leader3", "leader4", "leader5", "leader6"} <= {
        u.username for u in seeded["accounts"]
    }
    year = timezone.localdate().year
    committee = TaskList.objects.get(kind=TaskList.Kind.COMMITTEE, year=year)
    party = TaskList.objects.get(kind=TaskList.Kind.PARTY, year=year)
    assert (committee.aspects.count(), committee.tasks.count()) == (11, 84)
    assert (party.aspects.count(), party.tasks.count()) == (5, 50)
    statuses = ProgressReport.objects.values_list("status", flat=True).distinct()
    assert set(statuses) == {"submitted", "returned", "accepted"}
    # The visit to 洪江市, and the one to the committee's own bodies: a finding for each
    # body that leads a task and has a contact.
    own = SupervisionVisit.objects.get(places="市人大常委会机关各委室")
    assert SupervisionVisit.objects.count() == 2
    assert own.items.count() == len({item.unit_id for item in own.items.all()}) >= 10
    assert FollowUpItem.objects.filter(closed_on__isnull=False).count() == 1
    assert Assessment.objects.filter(quarter=1, task__task_list=committee).count() == 84
    counts = status_counts(today=timezone.localdate(), task_list=committee)
    assert all(counts[s] > 0 for s in ("on_track", "lagging", "overdue", "done"))
    with django_assert_max_num_queries(3):
        again = demo.seed()
    assert [u.username for u in again["accounts"]] == [u.username for u in seeded["accounts"]]
    assert TaskList.objects.count() == 3


def test_every_report_has_its_submission_and_review_in_the_history(seeded):
    """The task page's timeline is read from the history: each report is submitted, then
    reviewed; a report once returned shows the return and the second submission too."""
    reviewed = ProgressReport.objects.exclude(status="submitted").count()
    returned_once = ProgressReport.history.filter(status="returned").values("id").distinct()
    returned_now = ProgressReport.objects.filter(status="returned").count()
    resent = returned_once.count() - returned_now
    assert resent > 0  # last year's trail has reports returned and sent again
    assert ProgressReport.history.count() == (
        ProgressReport.objects.count() + reviewed + 2 * resent
    )


def test_this_year_has_tasks_in_every_status(seeded):
    counts = status_counts(today=timezone.localdate())
    this_year = Task.objects.filter(task_list__year=timezone.localdate().year)
    current = {
        status: this_year.with_status(timezone.localdate()).filter(status=status).count()
        for status in TaskStatus.values
    }
    assert all(n > 0 for n in current.values()), current
    assert counts["done"] == current["done"] + 84  # plus last year's, all done


def test_last_years_list_is_closed_and_ranked(seeded, client):
    today = timezone.localdate()
    previous = today.year - 1
    closed = TaskList.objects.get(year=previous, kind=TaskList.Kind.COMMITTEE)
    assert closed.title == f"{previous}年市人大常委会贯彻落实“三会三文”精神任务清单"
    assert (closed.aspects.count(), closed.tasks.count()) == (11, 84)
    assert status_counts(today=today, task_list=closed)["done"] == 84
    # each task: a trail of monthly reports, all accepted, the last one at 100 % and
    # accepted no later than the day the task was finished
    for task in closed.tasks.prefetch_related("reports"):
        reports = sorted(task.reports.all(), key=lambda r: r.month)
        assert len(reports) >= 3
        assert {r.status for r in reports} == {ProgressReport.Status.ACCEPTED}
        assert reports[-1].percent == 100 and task.percent_done == 100
        assert reports[-1].reviewed_at.date() <= task.completed_on
        assert task.completed_on.year == previous
        assert task.is_long_term or task.completed_on <= task.deadline
    scores = Assessment.objects.filter(task__task_list=closed, year=previous)
    assert set(scores.values_list("quarter", flat=True)) == {1, 2, 3, 4}
    assert scores.count() == 4 * 84
    assert not scores.filter(confirmed_at=None).exists()
    ranking = unit_ranking(closed, year=previous)
    assert len(ranking) > 5 and ranking[0]["rank"] == 1
    assert all(row["confirmed"] == row["scored"] for row in ranking)

    client.force_login(User.objects.get(username="staff"))
    page = client.get(
        reverse("tasks:assessment"), {"list": closed.pk, "year": previous, "quarter": 4}
    ).content.decode()
    year_table = page[page.index('id="rank-y"') :]
    assert ranking[0]["unit__name"] in year_table or ranking[0]["unit__short_name"] in year_table


def test_this_years_committee_list_is_the_copy_of_last_years(seeded):
    year = timezone.localdate().year
    committee = TaskList.objects.get(year=year, kind=TaskList.Kind.COMMITTEE)
    closed = TaskList.objects.get(year=year - 1, kind=TaskList.Kind.COMMITTEE)
    assert committee.copied_from == closed

    def owners(task_list):
        return {
            t.number: (
                t.content,
                t.lead_unit_id,
                t.weight,
                {u.pk for u in t.cooperating_units.all()},
            )
            for t in task_list.tasks.prefetch_related("cooperating_units")
        }

    assert owners(committee) == owners(closed)
    # the copy starts from zero: no reports or scores of last year came along
    assert not Assessment.objects.filter(task__task_list=committee, year=year - 1).exists()


def test_a_demo_seeded_before_last_years_list_gets_it_and_the_link(seeded):
    """A database seeded with this year's lists only (an older demo) gains last year's
    list on the next run, and this year's committee list is marked as its copy."""
    year = timezone.localdate().year
    TaskList.objects.filter(year=year - 1).delete()
    demo.seed()
    committee = TaskList.objects.get(year=year, kind=TaskList.Kind.COMMITTEE)
    assert committee.copied_from.year == year - 1
    assert committee.copied_from.tasks.count() == 84
    assert TaskList.objects.filter(year=year).count() == 2


def test_every_demo_report_is_submitted_by_its_units_contact_and_reviewed_by_staff(seeded):
    """The timeline of a demo task names people: the unit's contact sent each report
    (never the anonymous "system"), office staff reviewed it."""
    contacts = {u.username for u in seeded["accounts"] if u.role == "unit"}
    assert {"unit2", "unit3", "unit4", "unit5"} <= contacts
    reports = ProgressReport.objects.select_related("submitted_by", "reviewed_by")
    assert reports.count() > 600  # both years
    for report in reports:
        assert report.submitted_by is not None, report
        assert report.submitted_by.role == "unit"
        assert report.submitted_by.unit_id == report.unit_id
        assert report.reviewed_by is None or report.reviewed_by.username == "staff"
    timeline = ProgressReport.history.filter(history_type="+")
    assert not timeline.filter(history_user=None).exists()
    unit2 = User.objects.get(username="unit2")
    assert unit2.check_password("portal-demo") and unit2.unit.short_name == "常委会办公室"
    assert unit2.full_name  # a name to show in the timeline


def test_a_demo_task_page_names_the_contact_in_its_timeline(seeded, client):
    report = (
        ProgressReport.objects.filter(unit__short_name="常委会办公室", status="accepted")
        .select_related("task")
        .first()
    )
    client.force_login(User.objects.get(username="staff"))
    page = client.get(reverse("tasks:task", args=[report.task_id])).content.decode()
    assert User.objects.get(username="unit2").display_name in page
    assert "系统" not in page and ">system<" not in page
