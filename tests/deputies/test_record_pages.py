"""The performance record pages: scoping (a deputy their own record, a secretary their
region's), the A4 PDF read back with pdffonts and pdftotext, the reports-to-voters plan
and "not yet reported in this term", entries recorded by hand with evidence, and the
deputies flagged for missing two sessions without leave."""

import datetime as dt
import re
import shutil
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from ballots.attendance import absences
from ballots.services import check_in, session_close, session_create, session_open
from deputies.models import Activity, Level, Mandate, PointRule, VoterReport
from deputies.selectors import rank_of
from deputies.services import activity_record, point_rule_save
from notifications.models import Notification
from tests.ballots.conftest import make_deputies
from tests.factories import DeputyFactory
from tests.reports.pdf import pdf_fonts, pdf_text

pytestmark = pytest.mark.django_db
K = Activity.Kind
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def town(world):
    """陆友红 (the demo deputy) and three more deputies of 黄茅园镇, two of 卢峰镇, with
    township seats; station duty worth 2 points, meetings 1 (capped at 2 a year)."""
    for kind, points, cap in ((K.STATION_DUTY, "2", None), (K.MEETING, "1", "2")):
        point_rule_save(
            rule=PointRule(
                kind=kind,
                points=Decimal(points),
                valid_from=dt.date(2020, 1, 1),
                yearly_cap=Decimal(cap) if cap else None,
            ),
            by=None,
        )
    me = DeputyFactory(name="陆友红", region=world.township, user=world.deputy)
    Mandate.objects.create(
        deputy=me,
        level=Level.TOWNSHIP,
        congress="黄茅园镇第七届人民代表大会",
        region=world.township,
        term_start=2021,
        term_end=2026,
    )
    others = make_deputies(world.township, 3)
    far = make_deputies(world.other_township, 2)
    day = dt.date(THIS_YEAR, 1, 6)
    for i in range(3):
        activity_record(deputy=me, kind=K.STATION_DUTY, date=day, title=f"值班{i}")
    for i in range(4):  # 4 earned, 2 counted
        activity_record(deputy=me, kind=K.MEETING, date=day, title=f"会议{i}")
    for i in range(5):  # ahead of 陆友红
        activity_record(deputy=others[0], kind=K.STATION_DUTY, date=day, title=f"值班{i}")
    return {"me": me, "others": others, "far": far}


def test_a_deputy_sees_their_own_record_and_no_other(world, as_user, town):
    client = as_user(world.deputy)
    page = client.get(reverse("deputies:my_record"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "值班0" in text and "会议3" in text
    assert client.get(reverse("deputies:record", args=[town["me"].pk])).status_code == 200
    assert client.get(reverse("deputies:record", args=[town["others"][0].pk])).status_code == 404
    assert (
        client.get(reverse("deputies:record_pdf", args=[town["others"][0].pk])).status_code == 404
    )
    assert client.get(reverse("deputies:rankings")).status_code == 403


def test_a_secretary_sees_their_regions_records_and_ranking(world, as_user, town):
    client = as_user(world.secretary)
    assert client.get(reverse("deputies:record", args=[town["others"][1].pk])).status_code == 200
    assert client.get(reverse("deputies:record", args=[town["far"][0].pk])).status_code == 404
    # The township ranking is the secretary's default view.
    page = client.get(reverse("deputies:rankings"))
    rows = page.context["rows"]
    assert {r.deputy.region_id for r in rows} == {world.township.pk}
    assert [(r.deputy, r.points, r.rank) for r in rows[:2]] == [
        (town["others"][0], Decimal("10"), 1),
        (town["me"], Decimal("8"), 2),  # 3 duty days and meetings capped at 2
    ]
    # Another township is not theirs to pick.
    other = client.get(reverse("deputies:rankings"), {"region": world.other_township.code})
    assert other.status_code == 400


def test_the_record_pdf_prints_the_points_and_rank_of_the_database(world, as_user, town, tmp_path):
    if not shutil.which("pdffonts"):
        pytest.skip("poppler-utils are not installed")
    me = town["me"]
    response = as_user(world.deputy).get(reverse("deputies:record_pdf", args=[me.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    path = tmp_path / "record.pdf"
    path.write_bytes(response.content)
    fonts = pdf_fonts(path)
    assert fonts and all(f["emb"] == "yes" for f in fonts), fonts
    text = pdf_text(path, layout=False)
    assert f"陆友红 {THIS_YEAR}年度履职档案" in text
    seat = Mandate.objects.get(deputy=me)
    place = rank_of(me, year=THIS_YEAR, mandate=seat)
    assert place is not None
    printed_points = re.search(r"年度积分\s*([\d.]+)", text).group(1)
    assert Decimal(printed_points) == place["points"] == Decimal("8")
    assert f"第{place['rank_in_congress']}名" in text and place["rank_in_congress"] == 2
    assert "（年度上限）" in text  # the meetings, capped
    pages = int(re.search(r"共\s*(\d+)\s*页", text).group(1))
    assert 1 <= pages <= 2


def test_the_plan_and_who_has_not_yet_reported_this_term(world, as_user, town):
    me, (a, b, c) = town["me"], town["others"]
    VoterReport.objects.create(
        deputy=a,
        level=Level.TOWNSHIP,
        region=world.township,
        year=2024,
        status=VoterReport.Status.HELD,
        held_on=dt.date(2024, 5, 6),
        meeting="黄茅园镇人大代表述职评议会",
        voters_present=60,
        satisfied=50,
        basic=9,
        unsatisfied=1,
    )
    VoterReport.objects.create(
        deputy=b, level=Level.TOWNSHIP, region=world.township, year=THIS_YEAR
    )
    client = as_user(world.secretary)
    page = client.get(reverse("deputies:voter_reports"))
    pending = {seat.deputy for seat in page.context["pending"]}
    assert pending == {me, b, c}  # a reported in 2024, in this term
    assert [r.deputy for r in page.context["plan"]] == [b]
    # Name c in this year's plan, then record the report held.
    seat = Mandate.objects.get(deputy=c)
    assert client.post(reverse("deputies:voter_reports"), {"seat": seat.pk}).status_code == 302
    report = VoterReport.objects.get(deputy=c, year=THIS_YEAR)
    held_on = timezone.localdate()
    answer = client.post(
        reverse("deputies:voter_report", args=[report.pk]),
        {
            "version": report.version,
            "held_on": held_on.isoformat(),
            "meeting": "黄茅园镇人大代表述职评议会（龙潭村）",
            "text": "本人一年来按时进站，接待群众……",
            "voters_present": "80",
            "satisfied": "70",
            "basic": "8",
            "unsatisfied": "2",
        },
    )
    assert answer.status_code == 302
    entry = Activity.objects.get(deputy=c, kind=K.VOTER_REPORT)
    assert "满意70票" in entry.title or "70 satisfied" in entry.title
    page = client.get(reverse("deputies:voter_reports"))
    assert {seat.deputy for seat in page.context["pending"]} == {me, b}
    assert page.context["held"] == 1
    # More ratings than voters present is refused beside its field.
    report.refresh_from_db()
    refused = client.post(
        reverse("deputies:voter_report", args=[report.pk]),
        {
            "version": report.version,
            "held_on": held_on.isoformat(),
            "meeting": "述职会",
            "text": "……",
            "voters_present": "10",
            "satisfied": "10",
            "basic": "1",
            "unsatisfied": "0",
        },
    )
    assert refused.status_code == 400
    # Another township's secretary sees neither the plan nor the report.
    other = as_user(world.other_secretary)
    assert other.get(reverse("deputies:voter_report", args=[report.pk])).status_code == 404
    assert {
        s.deputy for s in other.get(reverse("deputies:voter_reports")).context["pending"]
    } == set(town["far"])


def test_a_secretary_records_a_meeting_with_evidence(world, as_user, town):
    me = town["me"]
    client = as_user(world.secretary)
    answer = client.post(
        reverse("deputies:activity_new", args=[me.pk]),
        {
            "kind": K.TRAINING,
            "date": dt.date(THIS_YEAR, 3, 13).isoformat(),
            "title": "参加学习贯彻全国两会和省“三会三文”精神培训",
            "hours": "4",
            "evidence": SimpleUploadedFile("签到表.pdf", b"%PDF-1.4\n"),
        },
    )
    assert answer.status_code == 302
    entry = Activity.objects.get(kind=K.TRAINING)
    assert entry.recorded_by == world.secretary and entry.evidence
    assert (
        as_user(world.deputy).get(reverse("deputies:evidence", args=[entry.pk])).status_code == 200
    )
    other = as_user(world.other_secretary)
    assert other.get(reverse("deputies:evidence", args=[entry.pk])).status_code == 404
    assert other.get(reverse("deputies:activity_new", args=[me.pk])).status_code == 404
    # Without evidence nothing is recorded.
    refused = client.post(
        reverse("deputies:activity_new", args=[me.pk]),
        {"kind": K.MEETING, "date": dt.date(THIS_YEAR, 3, 1).isoformat(), "title": "会议"},
    )
    assert refused.status_code == 400
    assert Activity.objects.filter(kind=K.TRAINING).count() == 1


def _session(world, day, deputies, *, present=(), leave=()):
    session = session_create(
        name=f"黄茅园镇七届人大会议（{day:%Y年%m月}）",
        region=world.township,
        level=Level.TOWNSHIP,
        date=day,
        by=world.secretary,
    )
    session_open(session=session, by=world.secretary)
    for d in present:
        check_in(session=session, deputy=d, by=world.secretary)
    for d in leave:
        check_in(session=session, deputy=d, by=world.secretary, on_leave=True)
    session_close(session=session, by=world.secretary)
    return session


def test_two_sessions_missed_without_leave_are_flagged_to_the_office(world, as_user, town):
    me, (a, b, c) = town["me"], town["others"]
    _session(world, dt.date(THIS_YEAR - 1, 1, 8), [], present=[me, a], leave=[b])
    assert not absences().exists()
    _session(world, dt.date(THIS_YEAR, 1, 8), [], present=[me, a])
    # c missed both without leave; b had leave for the first.
    flagged = list(absences())
    assert [(row["deputy"], row["missed"]) for row in flagged] == [(c.pk, 2)]
    notices = Notification.objects.filter(key__startswith=f"absences:{c.pk}:")
    # The office, the township's secretary and the county's (whose region holds it).
    assert set(notices.values_list("user", flat=True)) == {
        world.staff.pk,
        world.secretary.pk,
        world.county_secretary.pk,
    }
    # The office's page and home panel name the deputy; another township's secretary
    # sees nothing.
    page = as_user(world.staff).get(reverse("ballots:absences"))
    assert c.name in page.content.decode()
    assert "未经批准" in as_user(world.staff).get(reverse("home")).content.decode() or (
        "without leave" in as_user(world.staff).get(reverse("home")).content.decode()
    )
    assert list(absences(world.other_secretary)) == []
    # A third session missed: still one notice each.
    _session(world, dt.date(THIS_YEAR, 6, 8), [], present=[me, a, b])
    assert [row["missed"] for row in absences()] == [3]
    assert notices.count() == 3
