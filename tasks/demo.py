"""Demo task lists: the standing committee's list (11 aspects, 84 tasks) and the city
party committee's (5 aspects, 50 tasks), with a few months of reports, returns and
acceptances, one supervision visit with its follow-up items, and Q1 scores.

The current year's lists look alive whenever the demo is loaded (deadlines, due reports
and overdue tasks are relative to today). The committee's list of the previous year is
there too, closed: every task done with an accepted 100 % report and four quarters of
confirmed scores, so the year-end unit ranking shows; this year's committee list is its
copy (made by ``tasklist_copy``, as staff would). Volume goes in with ``bulk_create``;
the history of demo rows starts at their first edit.
"""

from __future__ import annotations

import datetime
import random

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from handovers.services import handover_answer, handover_rate, handover_verify
from organisation.demo import DEMO_PASSWORD
from organisation.models import Region, Unit, User
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
from tasks.services.instructions import instruction_write
from tasks.services.lists import tasklist_copy
from tasks.services.supervision import (
    follow_up_add,
    follow_up_handover,
    supervision_visit_record,
)
from tasks.status import TaskStatus, due_report_month

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


def _report_history(reports: list[ProgressReport], returned: dict[int, str] | None = None) -> None:
    """The submissions and reviews of the demo reports, as the task page's timeline shows
    them (bulk_create skips the history signals).

    ``returned`` maps the index of a report to a comment it was once returned with
    before being sent again and accepted: its history then has four entries.
    """
    returned = returned or {}
    historical = ProgressReport.history.model
    fields = [f.attname for f in ProgressReport._meta.fields]
    rows = []
    for index, report in enumerate(reports):
        values = {name: getattr(report, name) for name in fields}
        submitted = {
            **values,
            "status": ProgressReport.Status.SUBMITTED,
            "reviewed_by_id": None,
            "reviewed_at": None,
            "review_comment": "",
        }
        if index in returned:
            first = report.submitted_at - datetime.timedelta(days=4)
            sent_back = first + datetime.timedelta(days=1, hours=5)
            rows += [
                historical(
                    **{**submitted, "submitted_at": first},
                    history_date=first,
                    history_type="+",
                    history_user_id=report.submitted_by_id,
                ),
                historical(
                    **{
                        **values,
                        "status": ProgressReport.Status.RETURNED,
                        "submitted_at": first,
                        "reviewed_at": sent_back,
                        "review_comment": returned[index],
                    },
                    history_date=sent_back,
                    history_type="~",
                    history_user_id=report.reviewed_by_id,
                ),
                historical(
                    **{
                        **submitted,
                        "reviewed_by_id": report.reviewed_by_id,
                        "reviewed_at": sent_back,
                        "review_comment": returned[index],
                    },
                    history_date=report.submitted_at,
                    history_type="~",
                    history_user_id=report.submitted_by_id,
                ),
            ]
        else:
            rows.append(
                historical(
                    **submitted,
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


def _plan(
    rng: random.Random,
    aspects: list,
    *,
    units: dict[str, Unit],
    others: list[Unit],
    leaders: list[User],
    today: datetime.date,
) -> tuple[list[str], list[tuple[int, Task, list[Unit]]]]:
    """The aspects and the unsaved tasks of one list, each task with its aspect number and
    cooperating units (the order of the random draws is the demo's: keep it)."""
    year = today.year
    titles: list[str] = []
    planned: list[tuple[int, Task, list[Unit]]] = []
    number = 0
    for aspect_number, (title, leads, items) in enumerate(aspects, start=1):
        titles.append(title)
        for item in items:
            number += 1
            text, expected = item if isinstance(item, tuple) else (item, "")
            lead = units[rng.choice(leads)]
            long_term = rng.random() < 0.4
            deadline = None
            if not long_term:
                # Deadlines still ahead (the overdue ones are chosen later).
                deadline = rng.choice(
                    [
                        max(datetime.date(year, 12, 31), today + datetime.timedelta(days=30)),
                        today + datetime.timedelta(days=rng.randint(20, 120)),
                    ]
                )
            task = Task(
                number=number,
                content=text,
                expected_result=expected,
                lead_leader=leaders[(aspect_number - 1) % len(leaders)],
                lead_unit=lead,
                deadline=deadline,
                is_long_term=long_term,
                weight=rng.choice([1, 1, 1, 2, 3]),
            )
            helpers = rng.sample([u for u in others if u != lead], k=rng.choice([0, 1, 1, 2]))
            planned.append((aspect_number, task, helpers))
    return titles, planned


def _create_list(task_list: TaskList, titles: list[str], planned: list) -> list[Task]:
    """Save the planned aspects, tasks and cooperating units into ``task_list``."""
    aspects = Aspect.objects.bulk_create(
        [Aspect(task_list=task_list, number=n, title=t) for n, t in enumerate(titles, start=1)]
    )
    tasks = []
    for aspect_number, task, _helpers in planned:
        task.task_list = task_list
        task.aspect = aspects[aspect_number - 1]
        tasks.append(task)
    Task.objects.bulk_create(tasks)
    through = Task.cooperating_units.through
    through.objects.bulk_create(
        [
            through(task_id=task.pk, unit_id=unit.pk)
            for _n, task, helpers in planned
            for unit in helpers
        ]
    )
    return tasks


def _seed_previous_year(
    *,
    title: str,
    year: int,
    titles: list[str],
    planned: list,
    contacts: dict[int, User],
    staff: User,
    chair: User,
    today: datetime.date,
) -> TaskList:
    """The committee's list of ``year``, closed: every task done, four quarters scored."""
    # Demo data, seeded so every run makes the same city (not a secret).
    rng = random.Random(year)  # nosec B311
    closed = TaskList.objects.create(
        year=year,
        title=title,
        kind=TaskList.Kind.COMMITTEE,
        issuer="怀化市人大常委会党组",
        reports_start=datetime.date(year, 3, 1),
    )
    # The same tasks, owners and weights as this year's list (which is its copy); the
    # deadlines were the previous year's.
    previous = []
    for aspect_number, task, helpers in planned:
        finished = datetime.date(year, 12, 31) if task.is_long_term else None
        if not task.is_long_term:
            month = rng.randint(6, 12)
            finished = datetime.date(year, month, 1) + datetime.timedelta(days=31)
            finished = finished.replace(day=1) - datetime.timedelta(days=1)  # month's end
        copy = Task(
            number=task.number,
            content=task.content,
            expected_result=task.expected_result,
            lead_leader=task.lead_leader,
            lead_unit=task.lead_unit,
            deadline=None if task.is_long_term else finished,
            is_long_term=task.is_long_term,
            weight=task.weight,
            percent_done=100,
            completed_on=finished - datetime.timedelta(days=rng.randint(3, 12)),
        )
        previous.append((aspect_number, copy, helpers))
    tasks = _create_list(closed, titles, previous)

    reports: list[ProgressReport] = []
    returned: dict[int, str] = {}  # report index → the comment it was once returned with
    for task in tasks:
        final = task.completed_on.replace(day=1)
        months = [m for m in _months_back(final, rng.randint(3, 5)) if m >= closed.reports_start]
        start, step = rng.randint(15, 35), rng.randint(15, 25)
        for index, month in enumerate(months):
            last = index == len(months) - 1
            percent = 100 if last else min(90, start + index * step)
            submitted = month + datetime.timedelta(days=rng.randint(18, 23))
            if last:
                submitted = task.completed_on - datetime.timedelta(days=2)
            if not last and rng.random() < 0.12:
                returned[len(reports)] = rng.choice(content.RETURN_COMMENTS)
            reports.append(
                ProgressReport(
                    task=task,
                    unit_id=task.lead_unit_id,
                    month=month,
                    text=rng.choice(content.REPORT_PHRASES)
                    + (content.FINAL_REPORT_END if last else rng.choice(content.REPORT_ENDS)),
                    percent=percent,
                    status=ProgressReport.Status.ACCEPTED,
                    submitted_by=contacts.get(task.lead_unit_id),
                    submitted_at=_aware(submitted),
                    reviewed_by=staff,
                    reviewed_at=_aware(submitted + datetime.timedelta(days=2), 16),
                )
            )
    ProgressReport.objects.bulk_create(reports)
    _report_history(reports, returned=returned)

    # Four quarters, confirmed by the chair after each quarter; a unit's scores lean the
    # same way all year, so the year ranking has a shape.
    lean = {unit_id: rng.randint(-4, 0) for unit_id in {t.lead_unit_id for t in tasks}}
    scores = []
    for quarter in (1, 2, 3, 4):
        after = datetime.date(year + quarter // 4, quarter * 3 % 12 + 1, 15)
        confirmed = _aware(min(after, today))
        for task in tasks:
            parts = [
                max(10, min(25, rng.randint(19, 25) + lean[task.lead_unit_id])) for _p in range(4)
            ]
            scores.append(
                Assessment(
                    task=task,
                    unit_id=task.lead_unit_id,
                    year=year,
                    quarter=quarter,
                    completion=parts[0],
                    timeliness=parts[1],
                    quality=parts[2],
                    evidence_score=parts[3],
                    total=sum(parts),
                    assessed_by=staff,
                    confirmed_by=chair,
                    confirmed_at=confirmed,
                )
            )
    Assessment.objects.bulk_create(scores)
    return closed


def _accounts() -> list[User]:
    """The accounts this module adds to the demo, in a stable order."""
    usernames = [u for u, _n in content.LEADERS[1:]] + [u for u, _s, _n in content.UNIT_CONTACTS]
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    return [users[u] for u in usernames if u in users]


OWN_FINDINGS = [
    "补齐本委室牵头任务的月度进展佐证材料",
    "按时报送月度进展，杜绝迟报漏报",
    "细化牵头任务的阶段性节点，明确完成时限",
    "加强与配合单位的沟通协调，形成工作合力",
]


def seed(stdout=None) -> dict:
    today = timezone.localdate()
    year = today.year
    previous_year = year - 1
    committee_title = f"{year}年{content.COMMITTEE_TITLE}"
    previous_title = f"{previous_year}年{content.COMMITTEE_TITLE}"
    present = set(
        TaskList.objects.filter(
            year__in=[year, previous_year], title__in=[committee_title, previous_title]
        ).values_list("year", flat=True)
    )
    if present == {year, previous_year}:
        return {"accounts": _accounts()}

    leaders = [User.objects.get(username="leader")]
    for username, name in content.LEADERS[1:]:
        leaders.append(
            user_ensure(username=username, role=Role.LEADER, password=DEMO_PASSWORD, full_name=name)
        )
    # The city's bodies and the county congresses: the county departments of the
    # organisation's demo take no part in the committee's tasks.
    units = {
        u.short_name: u
        for u in Unit.objects.exclude(short_name="").exclude(
            kind=Unit.Kind.GOVERNMENT, region__level=Region.Level.COUNTY
        )
    }
    for username, short_name, name in content.UNIT_CONTACTS:
        user_ensure(
            username=username,
            role=Role.UNIT,
            password=DEMO_PASSWORD,
            full_name=name,
            unit=units[short_name],
        )
    others = [u for u in units.values() if u.kind != Unit.Kind.CONGRESS]
    staff = User.objects.get(username="staff")
    contacts = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT).exclude(unit=None)}
    chair = leaders[0]
    # Demo data, seeded so every run makes the same city (not a secret).
    rng = random.Random(year)  # nosec B311
    common = {"units": units, "others": others, "leaders": leaders, "today": today}
    committee_aspects, committee_plan = _plan(rng, content.COMMITTEE_ASPECTS, **common)
    party_aspects, party_plan = _plan(rng, content.PARTY_ASPECTS, **common)

    closed = TaskList.objects.filter(year=previous_year, title=previous_title).first()
    if closed is None:
        closed = _seed_previous_year(
            title=previous_title,
            year=previous_year,
            titles=committee_aspects,
            planned=committee_plan,
            contacts=contacts,
            staff=staff,
            chair=chair,
            today=today,
        )
    if year in present:
        # This year's lists came before the previous year's (an older demo): link them.
        TaskList.objects.filter(year=year, title=committee_title).update(copied_from=closed)
    else:
        _seed_current_year(
            closed=closed,
            committee_plan=committee_plan,
            party_aspects=party_aspects,
            party_plan=party_plan,
            rng=rng,
            contacts=contacts,
            staff=staff,
            leaders=leaders,
            units=units,
            today=today,
            stdout=stdout,
        )
    return {"accounts": _accounts()}


def _seed_current_year(
    *,
    closed: TaskList,
    committee_plan: list,
    party_aspects: list[str],
    party_plan: list,
    rng: random.Random,
    contacts: dict[int, User],
    staff: User,
    leaders: list[User],
    units: dict[str, Unit],
    today: datetime.date,
    stdout,
) -> None:
    year = today.year
    due_month = due_report_month(today)
    months = _months_back(due_month, 4)

    # Staff copy last year's list into the new year, then set this year's deadlines.
    committee = tasklist_copy(task_list=closed, year=year, by=staff)
    committee.reports_start = months[0]
    committee.save(update_fields=["reports_start"])
    copied = {
        t.number: t for t in committee.tasks.select_related("aspect", "lead_unit", "task_list")
    }
    tasks: list[Task] = []
    for _n, planned, _helpers in committee_plan:
        task = copied[planned.number]
        task.deadline = planned.deadline
        task.is_long_term = planned.is_long_term
        tasks.append(task)

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
    tasks += _create_list(party, party_aspects, party_plan)

    reports: list[ProgressReport] = []
    milestones: list[Milestone] = []
    task_updates: list[Task] = []

    def report(task, month, percent, status, comment="") -> None:
        submitted = month + datetime.timedelta(days=rng.randint(18, 24))
        reports.append(
            ProgressReport(
                task=task,
                unit_id=task.lead_unit_id,
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
        task_updates.append(task)  # every task of the copied list: its deadlines are new
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
                unit_id=task.lead_unit_id,
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
    # Each finding is handed to its unit (a handover 交办), as the visit's leader left it.
    items = [
        follow_up_add(
            visit=visit,
            task=covered[0],
            unit=covered[0].lead_unit,
            description="规范联络站接待群众登记台账，统一记录格式",
            due_date=visit_day + datetime.timedelta(days=30),
            by=staff,
        ),
        follow_up_add(
            visit=visit,
            task=covered[1],
            unit=covered[1].lead_unit,
            description="群众意见办理结果须在15个工作日内反馈",
            due_date=visit_day + datetime.timedelta(days=45),
            by=staff,
        ),
        follow_up_add(
            visit=visit,
            task=covered[-1],
            unit=hongjiang,
            description="推动黔城镇、安江镇人大工作经费纳入财政预算",
            due_date=today + datetime.timedelta(days=40),
            by=staff,
        ),
    ]
    # The first answered with evidence by its unit and verified by the office; the second
    # answered, waiting for the office; the third still with its unit.
    answered_on = min(visit_day + datetime.timedelta(days=18), today)
    for item, text, verified in (
        (items[0], "已印发统一的接待登记台账模板，各站点按新格式记录。", True),
        (items[1], "已建立群众意见办理反馈台账，限期15个工作日内反馈。", False),
    ):
        handover = follow_up_handover(item)
        contact = User.objects.filter(role=Role.UNIT, unit=item.unit, is_active=True).first()
        if handover is None or contact is None:
            continue
        on = max(answered_on, handover.handed_on)
        handover_answer(
            handover=handover,
            by=contact,
            text=text,
            files=[SimpleUploadedFile("整改材料.pdf", MINIMAL_PDF, "application/pdf")],
            on=on,
        )
        if verified:
            handover_verify(
                handover=handover,
                by=staff,
                accept=True,
                reason="经核实，整改到位。",
                on=min(on + datetime.timedelta(days=2), today),
            )
    # A second visit, to the committee's own bodies (机关督导) last month: one finding for
    # each body that leads a task and has a contact, so each body's inbox holds a finding
    # of the supervision beside the suggestions handed to it.
    staffed = set(
        User.objects.filter(
            role=Role.UNIT, is_active=True, unit__kind=Unit.Kind.COMMITTEE
        ).values_list("unit", flat=True)
    )
    led: dict[int, Task] = {}
    for task in tasks:
        if task.lead_unit_id in staffed and task.lead_unit_id not in led:
            led[task.lead_unit_id] = task
    if led:
        own_day = min(months[-1] + datetime.timedelta(days=9), today)
        own_visit = supervision_visit_record(
            leader=leaders[0],
            visited_on=own_day,
            places="市人大常委会机关各委室",
            tasks=list(led.values()),
            findings="各委室责任清单推进总体有序，但部分任务月度进展报送不及时、佐证材料不完整。",
            by=staff,
        )
        for number, task in enumerate(led.values()):
            follow_up_add(
                visit=own_visit,
                task=task,
                unit=task.lead_unit,
                description=OWN_FINDINGS[number % len(OWN_FINDINGS)],
                due_date=own_day + datetime.timedelta(days=20 + 5 * (number % 4)),
                by=staff,
            )
    instructions = _seed_instructions(chair=leaders[0], year=year, today=today)
    if stdout:
        stdout.write(
            f"    tasks: {instructions} leaders' instructions; {len(tasks)} tasks this year, {len(reports)} reports, "
            f"{len(scores)} Q1 scores; {closed.year}'s list closed"
        )


def _seed_instructions(*, chair: User, year: int, today: datetime.date) -> int:
    """Two instructions 批示 of the chair on tasks they lead, the most behind first: last month's,
    answered by the unit and rated, and this month's, still with the unit (the demo unit
    contact's unit first, so its inbox shows one)."""
    contacts = {
        u.unit_id: u
        for u in User.objects.filter(role=Role.UNIT, is_active=True)
        .exclude(unit=None)
        .order_by("-username")
    }
    demo_unit = User.objects.filter(username="unit").values_list("unit", flat=True).first()
    order = [TaskStatus.OVERDUE, TaskStatus.LAGGING, TaskStatus.NOT_STARTED, TaskStatus.ON_TRACK]
    behind = [
        task
        for task in Task.objects.filter(lead_leader=chair, task_list__year=year)
        .with_status(today)
        .filter(status__in=order)
        .select_related("lead_unit")
        .order_by("number")
        if task.lead_unit_id in contacts
    ]
    # What is most behind first; the demo unit contact's first among equals.
    behind.sort(key=lambda task: (order.index(task.status), task.lead_unit_id != demo_unit))
    if len(behind) < 2:
        return 0
    last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    answered = instruction_write(
        task=behind[1],
        by=chair,
        text="请抓紧推进，本月25日前报送进展和下一步措施，确保年底前完成。",
        on=last_month.replace(day=8),
    )
    handover = answered.handover
    if handover is not None:
        handover_answer(
            handover=handover,
            by=contacts[behind[1].lead_unit_id],
            text="已召开专题推进会，明确了时间节点和责任人，进展情况已随月度报告报送，确保年底前完成。",
            on=last_month.replace(day=18),
        )
        handover.refresh_from_db()
        handover_rate(
            handover=handover, by=chair, rating="satisfied", on=last_month.replace(day=20)
        )
    instruction_write(
        task=behind[0],
        by=chair,
        text="该任务进度滞后，请说明原因，提出整改措施，并在报送日前书面答复。",
        on=max(today.replace(day=1), today - datetime.timedelta(days=2)),
    )
    return 2
