"""The role groups of ``organisation/roles.py``: for each role, the pages it may open,
and no group of roles spelled out anywhere else in the source.

The table below is the one place a reader learns what a role opens. Every named URL of
the portal is either in it or in ``NOT_BY_ROLE`` (pages before sign-in, the admin), so
a new page fails the test until someone says who may open it.
"""

import ast
import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template, TemplateSyntaxError
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from ballots.models import CongressSession, PaperTally, Poll
from deputies.models import Activity, DeputyImportJob, VoterReport
from handovers.models import Assist, Handover, HandoverFile, Step
from liaison_stations.models import StandardCriterion
from livelihood.models import (
    CandidateList,
    Inspection,
    Milestone,
    ProgressPhoto,
    ProgressReport,
    Project,
    Proposal,
)
from organisation.roles import Role
from oversight.models import (
    Case,
    CaseDocument,
    CaseStage,
    Interpellation,
    Participant,
    Problem,
    Respondent,
    ReviewOpinion,
    SatisfactionVote,
)
from suggestions.models import Suggestion
from tasks.models import TaskImportJob
from tests.factories import MandateFactory, UnitFactory
from tests.liaison_stations.conftest import places  # noqa: F401  (fixture)
from tests.liaison_stations.test_photos import photos  # noqa: F401  (fixture)
from tests.reports.test_views import done_report  # noqa: F401  (fixture)
from tests.tasks.conftest import task  # noqa: F401  (fixture)
from tests.tasks.test_permissions import objects  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]

# Named URLs no role decides: open before signing in, or Django's own admin and auth.
NOT_BY_ROLE = {
    "healthz",
    "login",
    "logout",
    "set_language",
    "deputies:calendar",  # the deputy's secret-token calendar feed
    "password_change_done",
    "livelihood:results",  # a session's decided projects, public
}
# The public /s/ pages, the public /vote/ pages; Django admin.
PUBLIC_NAMESPACES = {"public_stations", "vote", "admin"}

EVERYONE = {
    "home",
    "password_change",
    "notifications:index",
    "notifications:badge",
    "notifications:channels",
    "notifications:mark_read",
    # A handover's page: whoever it concerns (the test's is rated by the deputy and kept
    # by the secretary's township); the scoping answers 404 to anyone else. Its evidence
    # files likewise.
    "handovers:detail",
    "handovers:evidence",
    # Suggestions: each sees those in their scope (a deputy their own, a unit contact
    # those handed to their unit); the test's is 陆友红's, of 黄茅园镇, handed to 代表工委.
    "suggestions:index",
    "suggestions:detail",
}
TASK_WORKERS = {
    "tasks:index",
    "tasks:export",
    "tasks:task",
    "tasks:evidence",
    "tasks:supervision",
}
OFFICE = {
    "tasks:visit_create",
    "tasks:visit",
    "tasks:assessment",
    "reports:index",
    "reports:generate",
    "reports:status",
    "reports:download",
}
TASK_STAFF = {
    # Imports are the staff's: leaders read (the deputies' import included).
    "deputies:import",
    "deputies:import_template",
    "deputies:import_job",
    "tasks:template",
    "tasks:import",
    "tasks:import_confirm",
    "tasks:import_job",
    "tasks:list_copy",
    "tasks:task_create",
    "tasks:task_edit",
    "tasks:milestone_add",
    "tasks:milestone_done",
    "tasks:reviews",
    "tasks:report_review",
    "tasks:reports_accept",
    "tasks:assessment_score",
}
RECORD_READERS = {
    "deputies:index",
    "deputies:detail",
    # The performance record (the test's is 陆友红's, of 黄茅园镇: the deputy's own), its
    # PDF, an entry's evidence and a report to voters of it.
    "deputies:record",
    "deputies:record_pdf",
    "deputies:evidence",
    "deputies:voter_report",
    "liaison_stations:index",
    "liaison_stations:station",
    "liaison_stations:rota",
}
REGION_READERS = {
    "deputies:rankings",
    "deputies:voter_reports",
    "liaison_stations:attendance",
    "ballots:absences",
    "organisation:regions",
    "organisation:region",
    "liaison_stations:today",
    "liaison_stations:standard",
    "liaison_stations:statistics",
    "liaison_stations:inbox",
    "liaison_stations:reception",
    "liaison_stations:duty_photo",
    "liaison_stations:evidence",
    "suggestions:statistics",
}
REFERRALS = {
    "handovers:index",
    "organisation:units",
    "organisation:unit",
    "liaison_stations:receptions",
    "liaison_stations:referrals",
}
# Livelihood projects: the office, the secretaries and the deputies read (scoped: the
# test's proposal is 陆友红's, of 黄茅园镇); the office of the congress screens; a deputy
# comments; the deputies and the office propose (a leader reads only).
LIVELIHOOD_READERS = {
    "livelihood:index",
    "livelihood:proposal",
    "livelihood:pools",
    "livelihood:sessions",
    "livelihood:session",
    "livelihood:inspections",
    "livelihood:inspection",
}
LIVELIHOOD_KEEPERS = {
    "livelihood:propose",
    "livelihood:screen",
    "livelihood:session_action",
    "livelihood:evaluate",
}
# The chosen projects being carried out: the readers and the unit contacts (their unit's:
# the test's project is 代表工委's) read them and the photos; the unit and the office of
# the congress (the staff's project is the city's) report and add milestones.
LIVELIHOOD_PROJECT_READERS = {"livelihood:projects", "livelihood:project", "livelihood:photo"}
LIVELIHOOD_PROJECT_WORKERS = {
    "livelihood:project_report",
    "livelihood:project_action",
    "livelihood:milestone_done",
}
# Oversight 监督: the office and the secretaries read the cases (their congress's), keep
# them (the staff the city's, a secretary their own); a unit opens its rectification
# items and review opinions.
OVERSIGHT_READERS = {
    "oversight:index",
    "oversight:plan",
    "oversight:members",
    "oversight:case",
    "oversight:document",
    "oversight:rankings",
}
OVERSIGHT_KEEPERS = {
    "oversight:case_new",
    "oversight:case_edit",
    "oversight:participants",
    "oversight:problem_new",
    "oversight:visit",
    "oversight:second_review",
    "oversight:opinion_new",
    "oversight:case_action",
    "oversight:stage_add",
    "oversight:stage_done",
    "oversight:participant_remove",
    "oversight:document_add",
}
OVERSIGHT_ITEMS = {"oversight:problem", "oversight:opinion"}
# A case's inquiry, interpellation and satisfaction vote: read like the items (a unit
# contact the ones its unit answers, is questioned in or is rated in); their forms are the
# office's (the service refuses anyone else).
OVERSIGHT_ITEMS |= {"oversight:inquiry", "oversight:interpellation", "oversight:satisfaction"}
# The steps of a handover, each to whom may take it (the state is the service's to judge:
# an empty form is a 400 to them, a 403 to anyone else).
HANDOVER_UNIT = {"handovers:answer", "handovers:opinion", "handovers:solved"}
HANDOVER_KEEPERS = {"handovers:verify", "handovers:extend", "handovers:close"}
RECORD_KEEPERS = {
    "deputies:activity_new",
    "deputies:activity_remove",
    "deputies:voter_report_remove",
    "deputies:phone",
    "deputies:edit",
    "deputies:mandate_add",
    "deputies:mandate_end",
    "deputies:mandate_remove",
    "liaison_stations:station_edit",
    "liaison_stations:rate",
    "liaison_stations:shift_edit",
    "liaison_stations:duty_log",
    "liaison_stations:swap",
    # The office of the suggestion's congress: draft from a reception, screen, hand over.
    "suggestions:draft",
    "suggestions:intake",
    "suggestions:hand_over",
}
# Congress sessions and their secret ballots: the staff the city's, a secretary their
# township's or county's (the test's session is 黄茅园镇's; the staff open the city's).
BALLOT_PAGES = {"ballots:index", "ballots:session", "ballots:check_in", "ballots:poll"}
BALLOT_ACTIONS = {
    "ballots:session_open",
    "ballots:session_close",
    "ballots:check_in_set",
    "ballots:poll_open",
    "ballots:slips",
    "ballots:poll_close",
    "ballots:tally",
    "ballots:tally_confirm",
    "ballots:publish",
    "ballots:runoff",
}
BALLOT_RUNNERS = BALLOT_PAGES | BALLOT_ACTIONS

# For each role, every page it may open (a person of the fixture world with that role,
# on records in their scope). Every other page answers 403, or 404 where the page is
# about one record the person may not see.
STAFF_PAGES = (
    EVERYONE
    | TASK_WORKERS
    | OFFICE
    | TASK_STAFF
    | RECORD_READERS
    | REGION_READERS
    | REFERRALS
    | RECORD_KEEPERS
    | HANDOVER_KEEPERS
    | LIVELIHOOD_READERS
    | LIVELIHOOD_KEEPERS
    | LIVELIHOOD_PROJECT_READERS
    | LIVELIHOOD_PROJECT_WORKERS
    | BALLOT_RUNNERS
    | OVERSIGHT_READERS
    | OVERSIGHT_KEEPERS
    | OVERSIGHT_ITEMS
)
MAY_OPEN = {
    # The administrator passes every role check: the staff's pages and the pages of one
    # role only (a leader's confirmation), but belongs to no unit, so the unit contact's
    # report form refuses them (403 with the reason) rather than fail at the save.
    Role.ADMIN: STAFF_PAGES
    | {"tasks:assessment_confirm", "tasks:instruct", "suggestions:submit", "livelihood:comment"},
    Role.STAFF: STAFF_PAGES,
    # Leaders read; of the records they keep nothing, and may not see a full phone number.
    Role.LEADER: EVERYONE
    | TASK_WORKERS
    | OFFICE
    | RECORD_READERS
    | REGION_READERS
    | REFERRALS
    | LIVELIHOOD_READERS
    | LIVELIHOOD_PROJECT_READERS
    | OVERSIGHT_READERS
    | OVERSIGHT_ITEMS
    # A leader's own pages: confirm the quarter's scores, write an instruction 批示.
    | {"tasks:assessment_confirm", "tasks:instruct"},
    Role.UNIT: EVERYONE
    | TASK_WORKERS
    | REFERRALS
    | HANDOVER_UNIT
    | LIVELIHOOD_PROJECT_READERS
    | LIVELIHOOD_PROJECT_WORKERS
    | OVERSIGHT_ITEMS
    | {"tasks:report_submit"},
    Role.SECRETARY: EVERYONE
    | RECORD_READERS
    | REGION_READERS
    | REFERRALS
    | RECORD_KEEPERS
    | HANDOVER_KEEPERS
    | LIVELIHOOD_READERS
    | LIVELIHOOD_KEEPERS
    | LIVELIHOOD_PROJECT_READERS
    | LIVELIHOOD_PROJECT_WORKERS
    | BALLOT_RUNNERS
    | OVERSIGHT_READERS
    | OVERSIGHT_KEEPERS
    | OVERSIGHT_ITEMS,
    Role.DEPUTY: EVERYONE
    | RECORD_READERS
    | LIVELIHOOD_READERS
    | LIVELIHOOD_PROJECT_READERS
    | {
        "deputies:me",
        "deputies:my_record",
        "handovers:rate",
        "suggestions:submit",
        "suggestions:confirm",
        "livelihood:propose",
        "livelihood:comment",
    },
}
PERSON = {
    Role.ADMIN: "admin",
    Role.STAFF: "staff",
    Role.LEADER: "leader",
    Role.UNIT: "unit_contact",
    Role.SECRETARY: "secretary",
    Role.DEPUTY: "deputy",
}
# Pages that only take a POST (the rest are opened with GET).
ACTIONS = {
    "notifications:mark_read",
    "tasks:import_confirm",
    "tasks:milestone_add",
    "tasks:milestone_done",
    "tasks:report_review",
    "tasks:reports_accept",
    "tasks:assessment_score",
    "tasks:assessment_confirm",
    "tasks:instruct",
    "reports:generate",
    "deputies:phone",
    "deputies:mandate_add",
    "deputies:mandate_end",
    "deputies:mandate_remove",
    "deputies:activity_remove",
    "deputies:voter_report_remove",
    "liaison_stations:rate",
    "liaison_stations:swap",
    *HANDOVER_UNIT,
    *HANDOVER_KEEPERS,
    "handovers:rate",
    "suggestions:confirm",
    "suggestions:intake",
    "suggestions:hand_over",
    "livelihood:comment",
    "livelihood:screen",
    "livelihood:session_action",
    "livelihood:project_action",
    "livelihood:milestone_done",
    *BALLOT_ACTIONS,
    "oversight:case_action",
    "oversight:stage_add",
    "oversight:stage_done",
    "oversight:participant_remove",
    "oversight:document_add",
}


def named_urls(resolvers=None, namespace: str = "") -> set[str]:
    names = set()
    for entry in (resolvers or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in PUBLIC_NAMESPACES:
                continue
            prefix = f"{namespace}{inner}:" if inner else namespace
            names |= named_urls(entry, prefix)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}{entry.name}")
    return names


@pytest.fixture
def url_of(world, places, objects, photos, done_report):  # noqa: F811
    me, home = places["me"], places["home"]
    mandate = MandateFactory(deputy=me)
    StandardCriterion.objects.get_or_create(number=1, defaults={"title": "有牌子"})
    # A secretary sees the units of their township; a unit contact their own unit.
    township_unit = UnitFactory(
        name="黄茅园镇人民政府", short_name="黄茅园镇", region=world.township
    )
    handover = Handover.objects.create(
        kind="referral",
        subject_type=ContentType.objects.get_for_model(world.township),
        subject_id=world.township.pk,
        title="村道破损",
        region=world.township,
        unit=world.unit,
        checked_by="rating",
        rater=world.deputy,
        handed_on=dt.date(2026, 1, 5),
        first_due_on=dt.date(2026, 2, 5),
        due_on=dt.date(2026, 2, 5),
    )
    step = Step.objects.create(handover=handover, action="handed", at=timezone.now())
    evidence = HandoverFile.objects.create(
        step=step,
        file=SimpleUploadedFile("x.pdf", b"%PDF-1.4\n"),
        name="x.pdf",
        content_type="application/pdf",
        size=9,
    )
    # The unit contact's unit helps with another unit's work (the opinion's page).
    helped = Handover.objects.create(
        kind="referral",
        subject_type=ContentType.objects.get_for_model(world.township),
        subject_id=world.township.pk,
        title="法律援助",
        region=world.township,
        unit=world.other_unit,
        checked_by="office",
        handed_on=dt.date(2026, 1, 5),
        first_due_on=dt.date(2026, 2, 5),
        due_on=dt.date(2026, 2, 5),
    )
    Assist.objects.create(handover=helped, unit=world.unit, due_on=dt.date(2026, 2, 5))
    suggestion = Suggestion.objects.create(
        level="township",
        region=world.township,
        year=2026,
        number=1,
        title="关于加快大埠至黄金街道路硬化的建议",
        content="建议硬化。",
        category="roads",
        lead=me,
        status="handed",
        handover=handover,
    )
    proposal = Proposal.objects.create(
        level="township",
        region=world.township,
        year=2026,
        title="大埠至黄金街飞跃桥道路硬化",
        place="黄茅园镇杨家山社区",
        estimated_cost=Decimal("45.00"),
        beneficiaries=1000,
        source="deputy",
        proposer=world.deputy,
    )
    session = CongressSession.objects.create(
        name="黄茅园镇七届人大四次会议",
        region=world.township,
        level="township",
        date=dt.date(2026, 3, 18),
        created_by=world.secretary,
    )
    CandidateList.objects.create(session=session, slots=5)
    projects = {}
    for role, region, level in (
        (Role.STAFF, world.city, "city"),
        (Role.SECRETARY, world.township, "township"),
    ):
        chosen = Proposal.objects.create(
            level=level,
            region=region,
            year=2026,
            title="道路硬化",
            place="杨家山社区",
            estimated_cost=Decimal("45.00"),
            beneficiaries=1000,
            source="deputy",
            proposer=world.deputy,
            status="chosen",
        )
        made = Project.objects.create(proposal=chosen, budget=45, unit=world.unit)
        report = ProgressReport.objects.create(project=made, text="路基", on=dt.date(2026, 5, 1))
        projects[role] = {
            "livelihood:project": made.pk,
            "livelihood:project_report": made.pk,
            "livelihood:photo": ProgressPhoto.objects.create(
                report=report,
                image=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"0" * 32),
                name="a.png",
            ).pk,
            "livelihood:milestone_done": Milestone.objects.create(
                project=made, title="路基", due=dt.date(2026, 6, 1)
            ).pk,
        }
    visit = Inspection.objects.create(proposal=proposal, date=dt.date(2026, 3, 1))
    deputy_job = DeputyImportJob.objects.create(status="done", started_by=world.staff)
    entry = Activity.objects.create(
        deputy=me,
        kind="meeting",
        date=dt.date(2026, 3, 1),
        title="参加镇人大主席团会议",
        evidence=SimpleUploadedFile("sign-in.pdf", b"%PDF-1.4\n"),
    )
    voters = VoterReport.objects.create(
        deputy=me, level=mandate.level, region=mandate.region, year=2026
    )
    task_job = TaskImportJob.objects.create(
        status="done", started_by=world.staff, task_list=objects["list"]
    )
    args = {
        "organisation:region": [world.township.code],
        "handovers:detail": [handover.pk],
        "handovers:evidence": [evidence.pk],
        "handovers:answer": [handover.pk],
        "handovers:solved": [handover.pk],
        "handovers:opinion": [helped.pk],
        "handovers:verify": [handover.pk],
        "handovers:rate": [handover.pk],
        "handovers:extend": [handover.pk],
        "handovers:close": [handover.pk],
        "suggestions:detail": [suggestion.pk],
        "livelihood:proposal": [proposal.pk],
        "livelihood:comment": [proposal.pk],
        "livelihood:screen": [proposal.pk],
        "livelihood:session": [session.pk],
        "livelihood:session_action": [session.pk, "add"],
        "livelihood:inspections": [proposal.pk],
        "livelihood:inspection": [visit.pk],
        "livelihood:evaluate": [session.pk],
        "suggestions:confirm": [suggestion.pk],
        "suggestions:intake": [suggestion.pk],
        "suggestions:hand_over": [suggestion.pk],
        "deputies:detail": [me.pk],
        "deputies:record": [me.pk],
        "deputies:record_pdf": [me.pk],
        "deputies:activity_new": [me.pk],
        "deputies:evidence": [entry.pk],
        "deputies:activity_remove": [entry.pk],
        "deputies:voter_report": [voters.pk],
        "deputies:voter_report_remove": [voters.pk],
        "deputies:import_job": [deputy_job.pk],
        "tasks:import_job": [task_job.pk],
        "deputies:phone": [me.pk],
        "deputies:edit": [me.pk],
        "deputies:mandate_add": [me.pk],
        "deputies:mandate_end": [me.pk, mandate.pk],
        "deputies:mandate_remove": [me.pk, mandate.pk],
        "liaison_stations:station": [home.code],
        "liaison_stations:station_edit": [home.code],
        "liaison_stations:rota": [home.code],
        "liaison_stations:swap": [home.code],
        "liaison_stations:rate": [home.code, 1],
        "liaison_stations:reception": [places["receptions"]["home"].pk],
        "liaison_stations:shift_edit": [places["shifts"]["home"].pk],
        "liaison_stations:duty_log": [places["shifts"]["home"].pk],
        "liaison_stations:duty_photo": [photos["photo"].pk],
        "liaison_stations:evidence": [photos["rating"].pk],
        "reports:status": [done_report.pk],
        "reports:download": [done_report.pk],
        "tasks:list_copy": [objects["list"].pk],
        "tasks:task_create": [objects["list"].pk],
        "tasks:task": [objects["task"].pk],
        "tasks:task_edit": [objects["task"].pk],
        "tasks:milestone_add": [objects["task"].pk],
        "tasks:instruct": [objects["task"].pk],
        "tasks:milestone_done": [objects["milestone"].pk],
        "tasks:report_submit": [objects["task"].pk],
        "tasks:report_review": [objects["report"].pk],
        "tasks:evidence": [objects["evidence"].pk],
        "tasks:visit": [objects["visit"].pk],
    }

    ballots = {
        role: _ballot_objects(world, region, level)
        for role, region, level in (
            (Role.SECRETARY, world.township, "township"),
            (Role.STAFF, world.city, "city"),
        )
    }

    oversight = {
        role: _oversight_objects(world, region, level, me) | _hearing_objects(world, region, level)
        for role, region, level in (
            (Role.SECRETARY, world.township, "township"),
            (Role.STAFF, world.city, "city"),
        )
    }

    def url_of(name: str, role: str) -> str:
        if name in oversight[Role.STAFF]:
            made = oversight[Role.SECRETARY if role == Role.SECRETARY else Role.STAFF]
            return reverse(name, args=made[name])
        if name.startswith("ballots:") and name not in {"ballots:index", "ballots:absences"}:
            made = ballots[Role.STAFF if role == Role.STAFF else Role.SECRETARY]
            return reverse(name, args=[made[name]])
        if name in {"livelihood:project", "livelihood:project_report", "livelihood:photo"} | {
            "livelihood:milestone_done"
        }:
            made = projects[Role.STAFF if role == Role.STAFF else Role.SECRETARY]
            return reverse(name, args=[made[name]])
        if name == "livelihood:project_action":
            made = projects[Role.STAFF if role == Role.STAFF else Role.SECRETARY]
            return reverse(name, args=[made["livelihood:project"], "milestone"])
        if name == "organisation:unit":
            return reverse(
                name, args=[(township_unit if role == Role.SECRETARY else world.unit).pk]
            )
        return reverse(name, args=args.get(name, []))

    return url_of


def _oversight_objects(world, region, level, deputy) -> dict[str, list]:
    """A case of ``region``'s congress with a stage, a participant, a document, a problem
    and review opinions handed to the unit contact's unit, by the URL names that take them."""
    case = Case.objects.create(
        region=region,
        level=level,
        kind="law_inspection",
        title="执法检查",
        year=2026,
        lead_committee="环资委",
    )
    stage = CaseStage.objects.create(case=case, name="实地检查")
    participant = Participant.objects.create(case=case, deputy=deputy)
    document = CaseDocument.objects.create(
        case=case,
        title="方案",
        file=SimpleUploadedFile("p.pdf", b"%PDF-1.4\n"),
        name="p.pdf",
        content_type="application/pdf",
        size=9,
    )
    problem = Problem.objects.create(case=case, number=1, title="扬尘", unit=world.unit)
    problem.handover = Handover.objects.create(
        kind="rectification",
        subject_type=ContentType.objects.get_for_model(problem),
        subject_id=problem.pk,
        title="扬尘",
        region=region,
        unit=world.unit,
        checked_by="office",
        handed_on=dt.date(2026, 6, 30),
        first_due_on=dt.date(2026, 8, 31),
        due_on=dt.date(2026, 8, 31),
    )
    problem.save()
    opinion = ReviewOpinion.objects.create(
        case=case,
        unit=world.unit,
        title="审议意见",
        text="一、",
        issued_on=dt.date(2026, 3, 1),
        due_on=dt.date(2026, 6, 1),
    )
    by_case = ["case", "case_edit", "participants", "problem_new", "visit", "second_review"]
    by_case += ["opinion_new", "stage_add", "document_add"]
    return {
        **{f"oversight:{n}": [case.pk] for n in by_case},
        "oversight:case_action": [case.pk, "start"],
        "oversight:stage_done": [stage.pk],
        "oversight:participant_remove": [participant.pk],
        "oversight:document": [document.pk],
        "oversight:problem": [problem.pk],
        "oversight:opinion": [opinion.pk],
    }


def _hearing_objects(world, region, level) -> dict[str, list]:
    """An inquiry, an interpellation and a satisfaction vote of ``region``'s congress that
    the unit contact's unit answers, is questioned in and is rated in."""
    cases = {
        kind: Case.objects.create(
            region=region, level=level, kind=kind, title=kind, year=2026, lead_committee="委"
        )
        for kind in ("inquiry", "interpellation", "satisfaction")
    }
    Respondent.objects.create(case=cases["inquiry"], unit=world.unit, name="杨文静", title="主任")
    Interpellation.objects.create(
        case=cases["interpellation"],
        setting="standing_committee",
        moved_on=dt.date(2026, 3, 1),
        unit=world.unit,
        subject="质询",
        text="请答复。",
        mode="written",
    )
    session = CongressSession.objects.create(
        name="测评会议",
        region=region,
        level=level,
        date=dt.date(2026, 3, 1),
        created_by=world.admin,
    )
    poll = Poll.objects.create(session=session, title="满意度测评", method="rate", slots=1)
    poll.options.create(key=f"unit:{world.unit.pk}", label=world.unit.name)
    SatisfactionVote.objects.create(
        case=cases["satisfaction"], session=session, poll=poll, subject="year", year=2025
    )
    return {f"oversight:{kind}": [case.pk] for kind, case in cases.items()}


def _ballot_objects(world, region, level) -> dict[str, int]:
    """A session of ``region`` with a vote and a paper count, by the URL names that take them."""
    session = CongressSession.objects.create(
        name="四次会议",
        region=region,
        level=level,
        date=dt.date(2026, 3, 18),
        created_by=world.admin,
    )
    poll = Poll.objects.create(session=session, title="票决", method="each", slots=1)
    tally = PaperTally.objects.create(
        poll=poll, teller=world.leader, issued=0, returned=0, invalid=0, votes={}
    )
    by_session = ["session", "session_open", "session_close", "check_in", "check_in_set"]
    by_poll = ["poll", "poll_open", "slips", "poll_close", "tally", "publish", "runoff"]
    return {
        **{f"ballots:{n}": session.pk for n in by_session},
        **{f"ballots:{n}": poll.pk for n in by_poll},
        "ballots:tally_confirm": tally.pk,
    }


def test_every_named_url_is_given_to_roles_or_left_open_on_purpose():
    listed = set().union(*MAY_OPEN.values())
    assert named_urls() - NOT_BY_ROLE == listed


@pytest.mark.parametrize("role", list(PERSON), ids=str)
def test_each_role_opens_its_pages_and_no_other(world, as_user, url_of, role):
    client = as_user(world.people[PERSON[role]])
    wrong = []
    # Pages first, then actions; removing the mandate last, since it is gone afterwards.
    names = sorted(named_urls() - NOT_BY_ROLE, key=lambda n: (n in ACTIONS, "remove" in n, n))
    for name in names:
        if name in ACTIONS:
            status = client.post(url_of(name, role)).status_code
            opened = status not in (403, 404, 405)
        else:
            status = client.get(url_of(name, role), follow=True).status_code
            opened = status == 200
            if not opened and status not in (403, 404):
                wrong.append((name, status))
                continue
        if opened != (name in MAY_OPEN[role]):
            wrong.append((name, status))
    assert wrong == [], f"{role}: pages answering against the table"


# --- No role group outside organisation/roles.py ------------------------------------------

ROLE_VALUES = set(Role.values)
SKIP = {"tests", "node_modules", "migrations", "var", "static", "locale", "templates"}


def _is_role(node: ast.expr) -> bool:
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return node.value.id == "Role" and node.attr in Role.names
    return isinstance(node, ast.Constant) and node.value in ROLE_VALUES


def role_groups_in(source: str) -> list[int]:
    """Lines of ``source`` that spell out a group of roles: a tuple, list or set literal
    made only of ``Role`` members (or their values, or unpacked groups), a
    ``frozenset``/``set``/``tuple``/``list`` built from ``Role``, or a call passing
    several roles (``role_required(Role.STAFF, Role.UNIT)``)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set) and node.elts:
            roles = [e for e in node.elts if _is_role(e)]
            others = [e for e in node.elts if not _is_role(e) and not isinstance(e, ast.Starred)]
            # A set literal of one role ({Role.UNIT}) joined to a group is a group too.
            if roles and not others and (len(node.elts) > 1 or isinstance(node, ast.Set)):
                found.append(node.lineno)
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id in {"frozenset", "set", "tuple", "list"}:
                for arg in node.args:
                    base = arg.value if isinstance(arg, ast.Attribute) else arg
                    if isinstance(base, ast.Name) and base.id == "Role":
                        found.append(node.lineno)
            if sum(_is_role(a) for a in node.args) > 1:
                found.append(node.lineno)
    return sorted(set(found))


def project_sources() -> list[Path]:
    return [
        path
        for path in ROOT.rglob("*.py")
        if not (set(path.relative_to(ROOT).parts) & SKIP)
        and not path.relative_to(ROOT).parts[0].startswith(".")
    ]


def test_the_scan_finds_the_shapes_a_group_takes():
    shapes = """
OFFICE_ROLES = (Role.STAFF, Role.LEADER)
READERS = (*OFFICE_ROLES, Role.SECRETARY)
EVERYONE = frozenset(Role.values)
x = OFFICE | {Role.UNIT}
users.filter(role__in=[Role.STAFF, Role.LEADER])
@role_required(Role.STAFF, Role.UNIT)
def view(request): ...
if user.role in ("staff", "leader"): ...
"""
    assert role_groups_in(shapes) == [2, 3, 4, 5, 6, 7, 9]
    # One role, or a role among other values, is not a group.
    assert role_groups_in('role_required(Role.STAFF)\nx = ("staff", Role.STAFF, "向晓琳")') == []


def test_no_role_group_is_defined_outside_organisation_roles():
    roles_py = ROOT / "organisation" / "roles.py"
    sources = project_sources()
    assert roles_py in sources and len(sources) > 50
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for path in sources
        if path != roles_py
        for line in role_groups_in(path.read_text())
    }
    assert found == set()


def test_templates_ask_for_a_role_group_never_spell_a_role():
    """A template decides what to show with ``user|has_role:"GROUP"`` (organisation's
    ``roles`` tag library), not with ``user.role == "staff"``."""
    spelled = re.compile(r"""\.role\s*(==|!=|in)\s*['"]""")
    templates = [
        path
        for path in ROOT.rglob("*.html")
        if not (set(path.relative_to(ROOT).parts) & {"tests", "node_modules", "var", ".venv"})
    ]
    assert len(templates) > 30
    found = {
        f"{path.relative_to(ROOT)}:{number}"
        for path in templates
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if spelled.search(line)
    }
    assert found == set()


def test_the_has_role_filter_reads_groups_and_refuses_unknown_names(world):
    def render(user, name: str) -> str:
        source = '{% load roles %}{% if user|has_role:"' + name + '" %}yes{% else %}no{% endif %}'
        return Template(source).render(Context({"user": user}))

    assert render(world.leader, "OFFICE") == "yes"
    assert render(world.unit_contact, "OFFICE") == "no"
    assert render(world.unit_contact, "UNIT") == "yes"
    assert render(world.deputy, "REGION_READERS") == "no"
    with pytest.raises(TemplateSyntaxError):
        render(world.staff, "OFFICES")
