"""Demo task lists: the standing committee's list (11 aspects, 84 tasks) and the city
party committee's (5 aspects, 50 tasks), with a few months of reports, returns and
acceptances, one supervision visit with its follow-up items, and Q1 scores.

The lists belong to the current year so that the demo looks alive whenever it is loaded
(deadlines, due reports and overdue tasks are relative to today). Volume goes in with
``bulk_create``; the history of demo rows starts at their first edit.
"""

from __future__ import annotations

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from organisation.demo import DEMO_PASSWORD
from organisation.models import Unit, User
from organisation.roles import Role
from organisation.services import user_ensure
from tasks import demo_content as content
from tasks.models import (
    Aspect,
    Assessment,
    Milestone,
    ProgressReport,
    Task,
    TaskList,
)
from tasks.services import follow_up_add, follow_up_close, supervision_visit_record
from tasks.status import due_report_month

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _months_back(month: datetime.date, count: int) -> list[datetime.date]:
    """``count`` first-of-month dates ending with ``month``, oldest first."""
    months = [month]
    for _i in range(count - 1):
        months.insert(0, (months[0] - datetime.timedelta(days=1)).replace(day=1))
    return months


def _aware(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _report_history(reports: list[ProgressReport]) -> None:
    """The submissions and reviews of the demo reports, as the task page's timeline shows
    them (bulk_create skips the history signals)."""
    historical = ProgressReport.history.model
    fields = [f.attname for f in ProgressReport._meta.fields]
    rows = []
    for report in reports:
        values = {name: getattr(report, name) for name in fields}
        rows.append(
            historical(
                **{
                    **values,
                    "status": ProgressReport.Status.SUBMITTED,
                    "reviewed_by_id": None,
                    "reviewed_at": None,
                    "review_comment": "",
                },
                history_date=report.submitted_at,
                history_type="+",
                history_user_id=report.submitted_by_id,
            )
        )
        if report.reviewed_at:
            rows.append(
                historical(
                    **values,
                    history_date=report.reviewed_at,
                    history_type="~",
                    history_user_id=report.reviewed_by_id,
                )
            )
    historical.objects.bulk_create(rows)


def seed(stdout=None) -> dict:
    today = timezone.localdate()
    year = today.year
    committee_title = f"{year}年{content.COMMITTEE_TITLE}"
    if TaskList.objects.filter(year=year, title=committee_title).exists():
        return {
            "accounts": list(User.objects.filter(username__in=[u for u, _n in content.LEADERS[1:]]))
        }

    leaders = [User.objects.get(username="leader")]
    new_accounts = []
    for username, name in content.LEADERS[1:]:
        user = user_ensure(
            username=username, role=Role.LEADER, password=DEMO_PASSWORD, full_name=name
        )
        leaders.append(user)
        new_accounts.append(user)
    units = {u.short_name: u for u in Unit.objects.exclude(short_name="")}
    others = [u for u in units.values() if u.kind != Unit.Kind.CONGRESS]
    rng = random.Random(year)

    due_month = due_report_month(today)
    months = _months_back(due_month, 4)

    committee = TaskList.objects.create(
        year=year,
        title=committee_title,
        kind=TaskList.Kind.COMMITTEE,
        issuer="怀化市人大常委会党组",
        reports_start=months[0],
    )
    # The party committee's list reports from next month on: its tasks show "not started"
    # until their units report.
    next_month = (due_month + datetime.timedelta(days=32)).replace(day=1)
    party = TaskList.objects.create(
        year=year,
        title=f"{year}年{content.PARTY_TITLE}",
        kind=TaskList.Kind.PARTY,
        issuer="中共怀化市委",
        reports_start=next_month,
    )

    tasks: list[Task] = []
    cooperation: list[tuple[Task, list[Unit]]] = []

    def add_tasks(task_list: TaskList, aspects: list) -> None:
        number = 0
        for aspect_number, (title, leads, items) in enumerate(aspects, start=1):
            aspect = Aspect.objects.create(task_list=task_list, number=aspect_number, title=title)
            for item in items:
                number += 1
                text, expected = item if isinstance(item, tuple) else (item, "")
                lead = units[rng.choice(leads)]
                long_term = rng.random() < 0.4
                deadline = None
                if not long_term:
                    # Deadlines still ahead (the overdue ones are chosen below).
                    deadline = rng.choice(
                        [
                            max(datetime.date(year, 12, 31), today + datetime.timedelta(days=30)),
                            today + datetime.timedelta(days=rng.randint(20, 120)),
                        ]
                    )
                task = Task(
                    task_list=task_list,
                    aspect=aspect,
                    number=number,
                    content=text,
                    expected_result=expected,
                    lead_leader=leaders[(aspect_number - 1) % len(leaders)],
                    lead_unit=lead,
                    deadline=deadline,
                    is_long_term=long_term,
                    weight=rng.choice([1, 1, 1, 2, 3]),
                )
                tasks.append(task)
                helpers = rng.sample([u for u in others if u != lead], k=rng.choice([0, 1, 1, 2]))
                cooperation.append((task, helpers))

    add_tasks(committee, content.COMMITTEE_ASPECTS)
    add_tasks(party, content.PARTY_ASPECTS)
    Task.objects.bulk_create(tasks)
    through = Task.cooperating_units.through
    through.objects.bulk_create(
        [through(task_id=t.pk, unit_id=u.pk) for t, helpers in cooperation for u in helpers]
    )

    staff = User.objects.get(username="staff")
    contacts = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT).exclude(unit=None)}
    reports: list[ProgressReport] = []
    milestones: list[Milestone] = []
    task_updates: list[Task] = []

    def report(task, month, percent, status, comment="") -> None:
        submitted = month + datetime.timedelta(days=rng.randint(18, 24))
        reports.append(
            ProgressReport(
                task=task,
                unit=task.lead_unit,
                month=month,
                text=rng.choice(content.REPORT_PHRASES) + rng.choice(content.REPORT_ENDS),
                percent=percent,
                status=status,
                submitted_by=contacts.get(task.lead_unit_id),
                submitted_at=_aware(min(submitted, today)),
                reviewed_by=None if status == ProgressReport.Status.SUBMITTED else staff,
                reviewed_at=None
                if status == ProgressReport.Status.SUBMITTED
                else _aware(min(submitted + datetime.timedelta(days=2), today), 16),
                review_comment=comment,
            )
        )

    accepted = ProgressReport.Status.ACCEPTED
    for task in tasks:
        if task.task_list_id == committee.pk:
            profile = rng.choices(
                ["on_track", "done", "overdue", "lagging", "returned", "submitted"],
                weights=[46, 12, 7, 14, 9, 12],
            )[0]
        else:
            profile = rng.choices(["on_track", "none"], weights=[40, 60])[0]
        if profile == "none":
            continue
        if profile == "overdue":
            task.is_long_term = False
            task.deadline = months[-2] + datetime.timedelta(days=27)
        start = rng.randint(10, 30)
        step = rng.randint(8, 18)
        plan = months if task.task_list_id == committee.pk else months[-2:]
        last_percent = 0
        for index, month in enumerate(plan):
            percent = min(95, start + step * index)
            last = index == len(plan) - 1
            if profile == "done" and last:
                percent = 100
            if last and profile == "lagging":
                break
            if last and profile == "returned":
                report(
                    task,
                    month,
                    percent,
                    ProgressReport.Status.RETURNED,
                    rng.choice(content.RETURN_COMMENTS),
                )
                break
            if last and profile == "submitted":
                report(task, month, percent, ProgressReport.Status.SUBMITTED)
                break
            report(task, month, percent, accepted)
            last_percent = percent
        task.percent_done = last_percent
        if profile == "done":
            task.completed_on = min(plan[-1] + datetime.timedelta(days=26), today)
            if not task.is_long_term and task.deadline < task.completed_on:
                task.deadline = datetime.date(year, 12, 31)
        task_updates.append(task)
        if rng.random() < 0.5:
            first_due = months[1] + datetime.timedelta(days=14)
            milestones.append(
                Milestone(
                    task=task,
                    title="制定工作方案并明确责任分工",
                    due_date=first_due,
                    done_on=first_due - datetime.timedelta(days=3),
                )
            )
            milestones.append(
                Milestone(
                    task=task,
                    title="完成阶段性目标并报送佐证材料",
                    due_date=today - datetime.timedelta(days=5)
                    if profile == "lagging"
                    else today + datetime.timedelta(days=rng.randint(20, 80)),
                )
            )
    Task.objects.bulk_update(
        task_updates, ["percent_done", "completed_on", "deadline", "is_long_term"]
    )
    ProgressReport.objects.bulk_create(reports)
    _report_history(reports)
    Milestone.objects.bulk_create(milestones)

    # Q1 scores of the committee's list, confirmed by the chair.
    chair = leaders[0]
    confirmed = _aware(datetime.date(year, 4, 15))
    scores = []
    for task in tasks:
        if task.task_list_id != committee.pk:
            continue
        parts = [rng.randint(16, 25) for _p in range(4)]
        scores.append(
            Assessment(
                task=task,
                unit=task.lead_unit,
                year=year,
                quarter=1,
                completion=parts[0],
                timeliness=parts[1],
                quality=parts[2],
                evidence_score=parts[3],
                total=sum(parts),
                assessed_by=staff,
                confirmed_by=chair if today >= confirmed.date() else None,
                confirmed_at=confirmed if today >= confirmed.date() else None,
            )
        )
    Assessment.objects.bulk_create(scores)

    # One supervision visit (督导调研) to 洪江市, two months ago.
    covered = [t for t in tasks if t.task_list_id == committee.pk and t.aspect.number in (5, 7)][:4]
    visit_day = months[-2] + datetime.timedelta(days=17)
    visit = supervision_visit_record(
        leader=leaders[1],
        visited_on=visit_day,
        places="洪江市黔城镇人大代表联络站、安江镇人大代表联络站、洪江市人大常委会",
        tasks=covered,
        findings="联络站“建管用”整体推进有力，但部分站点接待记录不规范、群众意见办理反馈不及时，个别乡镇人大工作经费未纳入预算。",
        by=staff,
    )
    hongjiang = units.get("洪江市人大") or covered[0].lead_unit
    items = [
        follow_up_add(
            visit=visit,
            task=covered[0],
            unit=covered[0].lead_unit,
            description="规范联络站接待群众登记台账，统一记录格式",
            due_date=visit_day + datetime.timedelta(days=30),
        ),
        follow_up_add(
            visit=visit,
            task=covered[1],
            unit=hongjiang,
            description="群众意见办理结果须在15个工作日内反馈",
            due_date=visit_day + datetime.timedelta(days=45),
        ),
        follow_up_add(
            visit=visit,
            task=covered[-1],
            unit=hongjiang,
            description="推动黔城镇、安江镇人大工作经费纳入财政预算",
            due_date=today + datetime.timedelta(days=40),
        ),
    ]
    follow_up_close(
        item=items[0],
        note="已印发统一的接待登记台账模板，各站点按新格式记录。",
        by=staff,
        files=[SimpleUploadedFile("接待台账模板.pdf", MINIMAL_PDF, "application/pdf")],
        closed_on=min(visit_day + datetime.timedelta(days=20), today),
    )
    if stdout:
        stdout.write(
            f"    tasks: {len(tasks)} tasks, {len(reports)} reports, {len(scores)} Q1 scores"
        )
    return {"accounts": new_accounts}
