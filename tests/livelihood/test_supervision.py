"""督 and 评: inspections by deputies (one activity each), findings handed to the unit
(shown in its /inbox/), and the evaluation of finished projects at a session by the
satisfaction rule."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ballots.services import ballot_cast, codes_issue, poll_close, poll_open, poll_publish
from deputies.models import Activity
from handovers.models import Handover
from livelihood.models import Evaluation
from livelihood.services import LivelihoodError, proposal_key
from livelihood.supervision import (
    evaluable,
    evaluation_poll_create,
    evaluation_record,
    finding_add,
    inspection_record,
)
from notifications.models import Notification
from tests.ballots.conftest import open_hall
from tests.livelihood.conftest import make_proposal

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 3, 1)


def test_an_inspection_gives_each_deputy_one_activity(world, deputies):
    chosen = make_proposal(world, status="chosen")
    visit = inspection_record(
        proposal=chosen,
        date=DAY,
        deputies=[deputies.me, deputies.neighbour],
        notes="路基已完成",
        by=world.secretary,
    )
    rows = Activity.objects.filter(source_key=f"inspection:{visit.pk}")
    assert sorted(rows.values_list("deputy", flat=True)) == sorted(
        [deputies.me.pk, deputies.neighbour.pk]
    )
    assert {r.kind for r in rows} == {Activity.Kind.INSPECTION}
    with pytest.raises(LivelihoodError) as refused:
        inspection_record(
            proposal=chosen, date=DAY, deputies=[deputies.other], notes="", by=world.secretary
        )
    assert refused.value.field == "deputies"  # not of this congress
    with pytest.raises(LivelihoodError):
        inspection_record(
            proposal=make_proposal(world, title="别的", status="reserve"),
            date=DAY,
            deputies=[deputies.me],
            notes="",
            by=world.secretary,
        )
    with pytest.raises(LivelihoodError):  # neither its office nor one of its deputies
        inspection_record(
            proposal=chosen,
            date=DAY,
            deputies=[deputies.me],
            notes="",
            by=world.township_unit_contact,
        )
    # A deputy of the congress who took part records it too.
    own = inspection_record(
        proposal=chosen, date=DAY, deputies=[deputies.me], notes="", by=world.deputy
    )
    assert Activity.objects.filter(source_key=f"inspection:{own.pk}").count() == 1


def test_a_finding_is_a_handover_in_the_units_inbox(world, deputies, as_user):
    chosen = make_proposal(world, status="chosen")
    visit = inspection_record(
        proposal=chosen, date=DAY, deputies=[deputies.me], notes="", by=world.deputy
    )
    finding = finding_add(
        inspection=visit,
        text="排水沟未按设计施工",
        unit=world.township_unit,
        by=world.deputy,
    )
    handover = Handover.objects.get(pk=finding.handover_id)
    assert handover.kind == "livelihood_finding" and handover.unit == world.township_unit
    assert handover.due_on > handover.handed_on
    inbox = as_user(world.township_unit_contact).get("/inbox/")
    assert inbox.status_code == 200 and "排水沟未按设计施工" in inbox.content.decode()
    with pytest.raises(LivelihoodError):
        finding_add(inspection=visit, text="x", unit=world.township_unit, by=world.outsider)


def _rate_session(world, n=6):
    hall = open_hall(world, n)
    hall.check_in(n)
    return hall


def test_the_evaluation_records_the_rule_and_sends_the_unsatisfactory_back(world):
    good = make_proposal(world, status="chosen", title="飞跃桥道路硬化")
    poor = make_proposal(world, status="chosen", title="金中村饮水工程")
    make_proposal(world, status="reserve", title="储备项目")
    hall = _rate_session(world, 6)
    assert {p.pk for p in evaluable(hall.session)} == {good.pk, poor.pk}
    with pytest.raises(LivelihoodError):
        evaluation_poll_create(session=hall.session, proposals=[good], by=world.deputy)
    poll = evaluation_poll_create(session=hall.session, proposals=[good, poor], by=hall.by)
    assert poll.method == "rate" and evaluable(hall.session) == []
    with pytest.raises(LivelihoodError):  # not twice at one session
        evaluation_poll_create(session=hall.session, proposals=[good], by=hall.by)
    poll_open(poll=poll, by=hall.by)
    codes = codes_issue(poll=poll, by=hall.by, spares=0)
    for i, code in enumerate(codes):
        ballot_cast(
            code=code,
            choices={
                proposal_key(good.pk): "satisfied" if i < 4 else "basic",
                proposal_key(poor.pk): "basic" if i < 3 else "unsatisfied",  # 3 of 6
            },
        )
    with pytest.raises(LivelihoodError):
        evaluation_record(poll=poll)
    poll_close(poll=poll, by=hall.by)
    poll_publish(poll=poll, by=hall.by)
    rows = {e.proposal_id: e for e in evaluation_record(poll=poll)}
    assert (rows[good.pk].satisfied, rows[good.pk].basic, rows[good.pk].unsatisfactory) == (
        4,
        2,
        False,
    )
    assert (rows[poor.pk].basic, rows[poor.pk].unsatisfied, rows[poor.pk].roll) == (3, 3, 6)
    assert rows[poor.pk].unsatisfactory is True  # exactly half
    evaluation_record(poll=poll)  # again: nothing changes
    assert Evaluation.objects.filter(unsatisfactory=True).count() == 1


def test_the_public_result_page_shows_the_evaluation(world, client):
    chosen = make_proposal(world, status="chosen", title="飞跃桥道路硬化")
    hall = _rate_session(world, 3)
    poll = evaluation_poll_create(session=hall.session, proposals=[chosen], by=hall.by)
    poll_open(poll=poll, by=hall.by)
    for code in codes_issue(poll=poll, by=hall.by, spares=0):
        ballot_cast(code=code, choices={proposal_key(chosen.pk): "satisfied"})
    poll_close(poll=poll, by=hall.by)
    poll_publish(poll=poll, by=hall.by)
    evaluation_record(poll=poll)
    page = client.get(reverse("livelihood:results", args=[hall.session.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and "飞跃桥道路硬化" in html and "测评满意" in html


def test_the_pages_record_a_visit_a_finding_and_an_evaluation(world, deputies, as_user):
    from livelihood.models import Inspection, Project

    chosen = make_proposal(world, status="chosen")
    Project.objects.create(proposal=chosen, unit=world.township_unit, budget=45)
    deputy = as_user(world.deputy)
    url = reverse("livelihood:inspections", args=[chosen.pk])
    assert deputy.get(url).status_code == 200
    bad = deputy.post(url, {"date": "2026-03-01", "deputies": [deputies.other.pk]})
    assert bad.status_code == 400
    made = deputy.post(
        url, {"date": "2026-03-01", "deputies": [deputies.me.pk, deputies.neighbour.pk]}
    )
    visit = Inspection.objects.get()
    assert made.status_code == 302 and visit.deputies.count() == 2
    page = reverse("livelihood:inspection", args=[visit.pk])
    assert deputy.post(page, {"text": "护栏缺失"}).status_code == 302
    assert visit.findings.get().unit == world.township_unit  # the project's unit
    assert as_user(world.outsider).get(page).status_code in (403, 404)
    unit = as_user(world.township_unit_contact)
    assert "护栏缺失" in unit.get("/inbox/").content.decode()
    handover = visit.findings.get().handover
    detail = unit.get(reverse("handovers:detail", args=[handover.pk])).content.decode()
    project_url = reverse("livelihood:project", args=[chosen.project.pk])
    assert project_url in detail and unit.get(project_url).status_code == 200


def test_an_unsatisfactory_project_is_flagged_its_unit_told_and_asked_again(world, as_user):
    from livelihood.models import Project

    poor = make_proposal(world, status="chosen", title="金中村饮水工程")
    Project.objects.create(
        proposal=poor,
        unit=world.township_unit,
        budget=30,
        state="completed",
        completed_on=dt.date(2026, 2, 1),
    )
    unfinished = make_proposal(world, status="chosen", title="未完工项目")
    Project.objects.create(proposal=unfinished, unit=world.township_unit, budget=30)
    hall = _rate_session(world, 4)
    secretary = as_user(world.secretary)
    url = reverse("livelihood:evaluate", args=[hall.session.pk])
    page = secretary.get(url).content.decode()
    assert "金中村饮水工程" in page and "未完工项目" not in page  # only finished ones
    made = secretary.post(url, {"proposals": [str(poor.pk)]})
    assert made.status_code == 302
    poll = Evaluation.objects.get().poll
    poll_open(poll=poll, by=hall.by)
    for i, code in enumerate(codes_issue(poll=poll, by=hall.by, spares=0)):
        ballot_cast(code=code, choices={proposal_key(poor.pk): "basic" if i < 2 else "abstain"})
    poll_close(poll=poll, by=hall.by)
    poll_publish(poll=poll, by=hall.by)
    assert secretary.post(url, {"record": "abc"}).status_code == 404  # malformed: no 500
    assert secretary.post(url, {"record": str(poll.pk)}).status_code == 302
    row = Evaluation.objects.get()
    assert row.unsatisfactory is True and row.rereport is not None  # 2 of 4
    assert row.rereport.unit == world.township_unit and row.rereport.kind == "livelihood_finding"
    told = Notification.objects.filter(user=world.township_unit_contact)
    assert told.filter(title__contains="金中村饮水工程").exists()
    inbox = as_user(world.township_unit_contact).get("/inbox/").content.decode()
    assert "金中村饮水工程" in inbox
    assert as_user(world.deputy).get(url).status_code == 403


def test_a_deputy_sees_projects_to_inspect_and_sessions_to_rate(world, deputies, as_user):
    from django.utils import timezone

    from ballots.services import session_create
    from livelihood.models import Project

    road = make_proposal(world, status="chosen", title="飞跃桥道路硬化")
    Project.objects.create(proposal=road, unit=world.township_unit, budget=45, state="under_way")
    done = make_proposal(world, status="chosen", title="集镇路灯安装")
    Project.objects.create(
        proposal=done, budget=20, state="completed", completed_on=dt.date(2026, 9, 30)
    )
    session = session_create(
        name="黄茅园镇七届人大五次会议",
        region=world.township,
        level="township",
        date=timezone.localdate() + dt.timedelta(days=3),
        by=world.secretary,
    )
    evaluation_poll_create(session=session, proposals=[done], by=world.secretary)
    home = as_user(world.deputy).get("/").content.decode()
    assert "飞跃桥道路硬化" in home and "黄茅园镇七届人大五次会议" in home
    assert (
        "黄茅园镇七届人大五次会议"
        not in as_user(world.township_unit_contact).get("/").content.decode()
    )
