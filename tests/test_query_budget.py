"""Every page opens in at most 15 queries at the demo city's size (issue 18): each role's
navigation and home page, as the demo accounts of that role see them, the public page of
a station, and each module's page of one object as the account that would open it.
``scripts/benchmark.py`` times the main pages."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from ballots.models import CongressSession, Poll
from deputies.models import CommitteeMembership, Deputy, Mandate, VoterReport
from handovers.models import Handover
from liaison_stations.models import Reception, Station, StationMembership
from livelihood.models import CandidateList, Finding, Project
from organisation.models import User
from organisation.navigation import items_for
from oversight.hearings import commitment_add, question_add, question_answer, respondent_add
from oversight.models import Case, Kind, Problem, ReviewOpinion
from oversight.services import case_create
from suggestions.models import Suggestion
from tasks.models import Instruction, SupervisionVisit, Task

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]

BUDGET = 15
ACCOUNTS = ["staff", "leader", "unit", "secretary", "deputy", "county-unit", "township-unit"]


@pytest.mark.parametrize("username", ACCOUNTS)
def test_every_main_page_of_the_role_keeps_the_budget(username, as_user):
    user = User.objects.get(username=username)
    client = as_user(user)
    pages = ["/"] + [item["url"] for item in items_for(user)]
    over = {}
    for url in dict.fromkeys(pages):
        client.get(url)  # the session and the caches, as on a second visit
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code in (200, 302), url
        if len(queries) > BUDGET:
            over[url] = len(queries)
    assert over == {}, f"{username}: pages over {BUDGET} queries: {over}"


@pytest.mark.parametrize("which", ["first", "the deputy's home"])
def test_a_station_public_page_keeps_the_budget(client, which):
    if which == "first":
        station = Station.objects.order_by("pk").first()
    else:
        station = Station.objects.get(
            memberships__deputy__user__username="deputy", memberships__is_home=True
        )
    client.get(f"/s/{station.code}/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"/s/{station.code}/")
    assert response.status_code == 200
    assert len(queries) <= BUDGET


# --- The pages of one object --------------------------------------------------------------
# Each module's page of one representative object of the demo, as the demo account that
# would open it: the richest of its kind where the demo has several (the task of the
# unit contact's unit with the most monthly reports, the 环境保护法 inspection with its 82
# problems, the fishing-ban interpellation, the 飞跃桥 road project...).


def _pages_of_one_object(username: str) -> list[str]:
    unit = User.objects.get(username="unit").unit
    county_unit = User.objects.get(username="county-unit").unit
    secretary = User.objects.get(username="secretary")
    task = (
        Task.objects.filter(lead_unit=unit)
        .annotate(n=Count("reports"))
        .order_by("-n", "pk")
        .first()
    )
    instructed = Instruction.objects.order_by("-pk").first().task
    visit = SupervisionVisit.objects.annotate(n=Count("tasks")).order_by("-n", "pk").first()
    deputy = Deputy.objects.get(user__username="deputy")
    seated = (  # the deputy with seats at the most levels: a ranking for each
        Mandate.objects.active().values("deputy").annotate(n=Count("pk")).order_by("-n", "deputy")
    )[0]["deputy"]
    home = StationMembership.objects.get(deputy=deputy, is_home=True).station
    signed = (
        Suggestion.objects.exclude(handover=None)
        .annotate(n=Count("signatures"))
        .order_by("-n", "pk")
        .first()
    )
    own = Suggestion.objects.filter(lead=deputy).order_by("-pk").first()
    unit_suggestion = Suggestion.objects.filter(handover__unit=county_unit).order_by("pk").first()
    road = Project.objects.get(proposal__title="大埠至黄金街飞跃桥道路硬化", proposal__year=2026)
    inspection = Case.objects.get(kind="law_inspection", title__contains="环境保护法")
    interpellation = Case.objects.get(kind="interpellation")
    satisfaction = Case.objects.get(kind="satisfaction")
    problem = Problem.objects.filter(case=inspection, unit=county_unit).order_by("pk").first()
    opinion = ReviewOpinion.objects.order_by("pk").first()
    report = VoterReport.objects.filter(deputy=deputy).order_by("pk").first()
    reception = (
        Reception.objects.filter(station=home).exclude(referred_unit=None).order_by("-pk").first()
    )
    city_session = CongressSession.objects.get(level="city")
    city_poll = Poll.objects.filter(session=city_session).order_by("pk").first()
    voted = CandidateList.objects.get(session__name="黄茅园镇七届人大四次会议").session
    voted_poll = Poll.objects.filter(session=voted).order_by("pk").first()
    rectification = (
        Handover.objects.filter(unit=county_unit, kind="rectification").order_by("pk").first()
    )
    finding = Finding.objects.order_by("pk").first().handover
    case_pages = [
        f"/oversight/{pk}/" for pk in Case.objects.order_by("pk").values_list("pk", flat=True)
    ]
    pages = {
        "staff": [
            f"/tasks/{task.pk}/",
            f"/tasks/{instructed.pk}/",
            f"/tasks/supervision/visits/{visit.pk}/",
            f"/suggestions/{signed.pk}/",
            f"/livelihood/projects/{road.pk}/",
            f"/livelihood/{road.proposal_id}/",
            *case_pages,
            f"/oversight/problems/{problem.pk}/",
            f"/oversight/opinions/{opinion.pk}/",
            f"/oversight/interpellation/{interpellation.pk}/",
            f"/oversight/satisfaction/{satisfaction.pk}/",
            "/oversight/satisfaction/rankings/",
            f"/deputies/{deputy.pk}/",
            f"/deputies/{deputy.pk}/record/",
            f"/deputies/{seated}/record/",
            "/deputies/rankings/",
            f"/deputies/voter-reports/{report.pk}/",
            f"/stations/{home.code}/",
            f"/stations/{home.code}/rota/",
            f"/stations/receptions/{reception.pk}/",
            f"/inbox/{rectification.pk}/",
            f"/inbox/{signed.handover_id}/",
            f"/ballots/{city_session.pk}/",
            f"/ballots/{city_session.pk}/check-in/",
            f"/ballots/votes/{city_poll.pk}/",
            "/reports/",
        ],
        "leader": [
            f"/tasks/{task.pk}/",
            f"/tasks/{instructed.pk}/",
            f"/tasks/supervision/visits/{visit.pk}/",
            f"/suggestions/{signed.pk}/",
            f"/livelihood/projects/{road.pk}/",
            f"/oversight/{inspection.pk}/",
            f"/oversight/interpellation/{interpellation.pk}/",
            f"/oversight/satisfaction/{satisfaction.pk}/",
            "/oversight/satisfaction/rankings/",
            f"/deputies/{deputy.pk}/",
            f"/deputies/{deputy.pk}/record/",
            f"/deputies/{seated}/record/",
            "/deputies/rankings/",
            "/reports/",
        ],
        "unit": [
            f"/tasks/{task.pk}/",
            f"/inbox/{Handover.objects.filter(unit=unit).order_by('pk').first().pk}/",
        ],
        "secretary": [
            f"/stations/{home.code}/",
            f"/stations/{home.code}/rota/",
            f"/stations/receptions/{reception.pk}/",
            f"/deputies/{deputy.pk}/",
            f"/deputies/{deputy.pk}/record/",
            "/deputies/rankings/",
            f"/livelihood/projects/{road.pk}/",
            f"/livelihood/sessions/{voted.pk}/",
            f"/ballots/{voted.pk}/",
            f"/ballots/{voted.pk}/check-in/",
            f"/ballots/votes/{voted_poll.pk}/",
        ],
        "deputy": [
            "/deputies/me/",
            "/deputies/me/record/",
            f"/suggestions/{own.pk}/",
            f"/livelihood/sessions/{voted.pk}/",
        ],
        "county-unit": [
            f"/inbox/{rectification.pk}/",
            f"/oversight/problems/{problem.pk}/",
            f"/suggestions/{unit_suggestion.pk}/",
        ],
        "township-unit": [f"/livelihood/projects/{road.pk}/", f"/inbox/{finding.pk}/"],
    }
    assert secretary.region_id == home.region_id  # the secretary keeps the deputy's station
    return pages[username]


def _over_budget(client, pages: list[str]) -> dict[str, int]:
    over = {}
    for url in pages:
        client.get(url)  # the session and the caches, as on a second visit
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, url
        if len(queries) > BUDGET:
            over[url] = len(queries)
    return over


@pytest.mark.parametrize("username", ACCOUNTS)
def test_the_page_of_one_object_of_each_module_keeps_the_budget(username, as_user):
    client = as_user(User.objects.get(username=username))
    over = _over_budget(client, _pages_of_one_object(username))
    assert over == {}, f"{username}: pages over {BUDGET} queries: {over}"


def _an_inquiry():
    """The demo has no 专题询问: the office holds one on the 环境保护法 inspection's units,
    a dozen questions by members of the standing committee, answered, three of the
    answers with a commitment."""
    staff = User.objects.get(username="staff")
    inspection = Case.objects.get(kind="law_inspection", title__contains="环境保护法")
    units = list(inspection.target_units.order_by("pk"))
    today = timezone.localdate()
    case = case_create(
        region=inspection.region,
        level=inspection.level,
        kind=Kind.INQUIRY,
        title="关于生态环境保护工作的专题询问",
        year=today.year,
        lead_committee="市人大常委会环资城建委",
        by=staff,
        target_units=units,
        started_on=today,
    )
    respondents = [
        respondent_add(case=case, unit=unit, name=f"负责人{i}", title="局长", by=staff)
        for i, unit in enumerate(units)
    ]
    members = [
        m.deputy
        for m in CommitteeMembership.objects.active_on(today)
        .of_congress(inspection.region, inspection.level)
        .select_related("deputy")
        .order_by("pk")[:12]
    ]
    assert len(members) == 12
    for i, member in enumerate(members):
        question = question_add(
            case=case,
            asker=member,
            respondent=respondents[i % len(respondents)],
            text=f"第{i + 1}个问题",
            asked_on=today,
            by=staff,
        )
        question_answer(question=question, answer="正在整改。", answered_on=today, by=staff)
        if i % 4 == 0:
            commitment_add(
                question=question,
                text="年内整改到位",
                due_on=today + dt.timedelta(days=30),
                by=staff,
            )
    return case, respondents[0].unit


@pytest.mark.parametrize("username", ["staff", "leader", "respondent"])
def test_an_inquiry_page_keeps_the_budget(username, as_user):
    case, unit = _an_inquiry()
    if username == "respondent":
        person = User.objects.filter(role="unit", unit=unit, is_active=True).order_by("pk").first()
    else:
        person = User.objects.get(username=username)
    pages = [f"/oversight/inquiry/{case.pk}/"]
    if username != "respondent":  # a unit contact opens the inquiry, not the case
        pages.append(f"/oversight/{case.pk}/")
    over = _over_budget(as_user(person), pages)
    assert over == {}, f"{username}: pages over {BUDGET} queries: {over}"
