"""The ballot pages: who opens them, the check-in, the slips PDF, /vote/ and receipts."""

from __future__ import annotations

import re
import shutil
import subprocess  # nosec B404

import pytest
from django.core.cache import cache
from django.urls import reverse

from ballots.models import Ballot, CheckIn, Code, CongressSession, Poll
from ballots.services import (
    ballot_cast,
    codes_issue,
    grouped,
    poll_close,
    poll_open,
    poll_publish,
    session_create,
)
from deputies.models import Level
from tests.ballots.conftest import DAY

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def test_a_secretary_creates_a_session_of_their_township_only(world, as_user):
    client = as_user(world.secretary)
    page = client.get(reverse("ballots:index"))
    assert page.status_code == 200
    response = client.post(
        reverse("ballots:index"),
        {"name": "黄茅园镇七届人大四次会议", "region": world.township.pk, "date": "2026-03-18"},
    )
    session = CongressSession.objects.get()
    assert response.status_code == 302 and session.level == Level.TOWNSHIP
    refused = client.post(
        reverse("ballots:index"),
        {"name": "卢峰镇", "region": world.other_township.pk, "date": "2026-03-18"},
    )
    assert refused.status_code == 400
    assert CongressSession.objects.count() == 1


def test_other_secretaries_get_404_and_other_roles_403(world, as_user, hall):
    pages = [
        reverse("ballots:session", args=[hall.session.pk]),
        reverse("ballots:check_in", args=[hall.session.pk]),
    ]
    for url in pages:
        assert as_user(world.secretary).get(url).status_code == 200
        assert as_user(world.other_secretary).get(url).status_code == 404
        assert as_user(world.county_secretary).get(url).status_code == 404
        assert as_user(world.staff).get(url).status_code == 404  # the city's sessions only
        assert as_user(world.admin).get(url).status_code == 200
        for person in (world.leader, world.deputy, world.unit_contact):
            assert as_user(person).get(url).status_code == 403
    post = as_user(world.other_secretary).post(
        reverse("ballots:check_in_set", args=[hall.session.pk]),
        {"deputy": hall.deputies[0].pk, "state": "present"},
    )
    assert post.status_code == 404 and not CheckIn.objects.exists()


def test_check_in_by_toggles_with_and_without_htmx(world, as_user, hall):
    client = as_user(world.secretary)
    url = reverse("ballots:check_in_set", args=[hall.session.pk])
    d0, d1 = hall.deputies[:2]
    response = client.post(url, {"deputy": d0.pk, "state": "present", "q": ""})
    assert response.status_code == 302 and response["Location"].endswith(f"#d{d0.pk}")
    fragment = client.post(
        url, {"deputy": d1.pk, "state": "leave", "q": ""}, headers={"HX-Request": "true"}
    )
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert f'id="d{d1.pk}"' in html and "check-in--leave" in html and 'hx-swap-oob="true"' in html
    assert "<html" not in html
    assert {(c.deputy_id, c.on_leave) for c in CheckIn.objects.all()} == {
        (d0.pk, False),
        (d1.pk, True),
    }
    client.post(url, {"deputy": d1.pk, "state": "none"})
    assert CheckIn.objects.count() == 1
    page = client.get(reverse("ballots:check_in", args=[hall.session.pk]), {"q": d0.name})
    assert d0.name in page.content.decode() and hall.deputies[2].name not in page.content.decode()
    for bad in ({"deputy": "x", "state": "present"}, {"deputy": d0.pk, "state": "maybe"}, {}):
        assert client.post(url, bad).status_code == 400
    assert client.get(url).status_code == 405


def test_the_slips_pdf_carries_every_code_in_the_fragment(world, as_user, hall):
    hall.check_in(8)
    poll = hall.poll()
    client = as_user(world.secretary)
    response = client.post(reverse("ballots:slips", args=[poll.pk]), {"spares": "2"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    assert Code.objects.filter(poll=poll).count() == 10
    if shutil.which("pdftotext"):
        text = subprocess.run(  # nosec B603 B607
            ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
        ).stdout.decode()
        printed = re.findall(r"\b[0-9A-Z]{5}-[0-9A-Z]{5}\b", text)
        assert len(printed) == 10
    again = client.post(reverse("ballots:slips", args=[poll.pk]), {"spares": "2"})
    assert again.status_code == 409  # printed once


def test_a_deputy_votes_at_vote_with_a_code(world, client, hall):
    hall.check_in(9)
    poll = hall.poll(method="each", options=2)
    poll_open(poll=poll, by=hall.by)
    code = codes_issue(poll=poll, by=hall.by)[0]
    page = client.get(reverse("vote:index"))
    assert page.status_code == 200 and "data-vote-code" in page.content.decode()
    ballot = client.post(reverse("vote:index"), {"code": grouped(code).lower()})
    assert ballot.status_code == 200
    html = ballot.content.decode()
    assert "项目1" in html and 'name="step"' in html
    missing = client.post(reverse("vote:index"), {"code": code, "step": "cast", "o0": "yes"})
    assert missing.status_code == 400 and not Ballot.objects.exists()
    cast = client.post(
        reverse("vote:index"), {"code": code, "step": "cast", "o0": "yes", "o1": "no"}
    )
    assert cast.status_code == 200
    receipt = Ballot.objects.get().receipt
    assert grouped(receipt) in cast.content.decode()
    assert code not in cast.content.decode()
    again = client.post(reverse("vote:index"), {"code": code})
    assert again.status_code == 400 and "已经投过票" in again.content.decode()


def test_choose_ballots_at_vote(world, client, hall):
    hall.check_in(9)
    poll = hall.poll(method="choose", slots=2, options=4)
    poll_open(poll=poll, by=hall.by)
    code = codes_issue(poll=poll, by=hall.by)[0]
    too_many = client.post(
        reverse("vote:index"), {"code": code, "step": "cast", "chosen": ["0", "1", "2"]}
    )
    assert too_many.status_code == 400 and not Ballot.objects.exists()
    client.post(reverse("vote:index"), {"code": code, "step": "cast", "chosen": ["0", "3"]})
    assert sorted(Ballot.objects.get().choices.values()) == ["yes", "yes"]


def test_wrong_codes_are_limited(world, client, settings, hall):
    settings.BALLOT_CODE_FAILURES_PER_DEVICE = 3
    hall.check_in(9)
    poll = hall.poll()
    poll_open(poll=poll, by=hall.by)
    code = codes_issue(poll=poll, by=hall.by)[0]
    # The first post has no cookie yet: it counts against the address's device.
    for _ in range(4):
        assert client.post(reverse("vote:index"), {"code": "ABCDE-FGHJK"}).status_code == 400
    assert client.post(reverse("vote:index"), {"code": code}).status_code == 429
    assert not Ballot.objects.exists()


def test_the_code_never_travels_in_a_query_string(client):
    page = client.get(reverse("vote:index"), {"code": "ABCDE-FGHJK"})
    assert page.status_code == 200
    assert 'value="ABCDE-FGHJK"' not in page.content.decode()  # GET fills nothing
    assert 'method="post"' in page.content.decode()


def test_receipts_are_found_in_the_published_list(world, client, hall):
    hall.check_in(9)
    poll = hall.poll()
    poll_open(poll=poll, by=hall.by)
    codes = codes_issue(poll=poll, by=hall.by)
    mine = ballot_cast(code=codes[0], choices={"project:1": "yes"})
    ballot_cast(code=codes[1], choices={})
    url = reverse("vote:receipt_list", args=[poll.pk])
    assert client.get(url).status_code == 404  # not published yet
    poll_close(poll=poll, by=hall.by)
    poll_publish(poll=poll, by=hall.by)
    assert poll.title in client.get(reverse("vote:receipts")).content.decode()
    page = client.get(url)
    assert page.status_code == 200 and grouped(mine) in page.content.decode()
    found = client.post(url, {"receipt": mine.lower()})
    assert 'id="receipt-found"' in found.content.decode() and "is-found" in found.content.decode()
    not_found = client.post(url, {"receipt": "ZZZZZ-ZZZZZ"})
    assert "message--error" in not_found.content.decode()


def test_the_runner_walks_a_poll(world, as_user, hall):
    client = as_user(world.secretary)
    session_url = reverse("ballots:session", args=[hall.session.pk])
    made = client.post(
        session_url,
        {"title": "民生实事票决", "method": "choose", "slots": "2", "options": "甲\n乙\n\n丙"},
    )
    poll = Poll.objects.get()
    assert made.status_code == 302 and poll.options.count() == 3
    assert client.post(session_url, {"title": "", "method": "x"}).status_code == 400
    poll_url = reverse("ballots:poll", args=[poll.pk])
    assert client.get(poll_url).status_code == 200
    refused = client.post(reverse("ballots:poll_open", args=[poll.pk]))
    assert refused.status_code == 400 and "三分之二" in refused.content.decode()
    hall.check_in(9)
    assert client.post(reverse("ballots:poll_open", args=[poll.pk])).status_code == 302
    codes = codes_issue(poll=poll, by=hall.by)
    ballot_cast(code=codes[0], choices={"line:1": "yes"})
    assert client.get(poll_url).status_code == 200
    assert client.post(reverse("ballots:poll_close", args=[poll.pk])).status_code == 302
    tally = client.post(
        reverse("ballots:tally", args=[poll.pk]),
        {
            "issued": "3",
            "returned": "3",
            "invalid": "0",
            "o0_votes": "3",
            "o1_votes": "1",
            "o2_votes": "0",
        },
    )
    assert tally.status_code == 302  # 1 electronic ballot and 3 paper ones of 9 present
    too_many = client.post(
        reverse("ballots:tally", args=[poll.pk]),
        {
            "issued": "9",
            "returned": "9",
            "invalid": "0",
            "o0_votes": "3",
            "o1_votes": "1",
            "o2_votes": "0",
        },
    )
    assert too_many.status_code == 400 and "报到代表" in too_many.content.decode()
    assert client.post(reverse("ballots:publish", args=[poll.pk])).status_code == 409
    entered = poll.paper_tallies.get()
    confirm = reverse("ballots:tally_confirm", args=[entered.pk])
    assert client.post(confirm).status_code == 400  # not by the teller who entered it
    assert as_user(world.admin).post(confirm).status_code == 302
    assert client.post(reverse("ballots:publish", args=[poll.pk])).status_code == 302
    page = client.get(poll_url).content.decode()
    assert "<td>4</td>" in page  # 甲: 1 electronic + 3 paper


def test_malformed_input_is_a_4xx(world, as_user, hall):
    client = as_user(world.secretary)
    assert (
        client.get(
            reverse("ballots:check_in", args=[hall.session.pk]), {"q": "x" * 500}
        ).status_code
        == 200
    )
    assert client.post(reverse("ballots:slips", args=[999999])).status_code == 404
    hall.check_in(9)
    poll = hall.poll()
    assert (
        client.post(reverse("ballots:slips", args=[poll.pk]), {"spares": "-1"}).status_code == 400
    )
    assert client.post(reverse("ballots:tally", args=[poll.pk]), {"issued": "x"}).status_code == 400
    assert client.post(reverse("vote:index"), {"code": "x" * 100}).status_code == 400
    session = session_create(
        name="x", region=world.township, level=Level.TOWNSHIP, date=DAY, by=world.secretary
    )
    assert client.post(reverse("ballots:session_close", args=[session.pk])).status_code == 409


def test_a_seat_added_with_its_start_day_joins_the_rolls_from_that_day(world, as_user):
    from deputies.models import Mandate
    from tests.factories import DeputyFactory

    deputy = DeputyFactory(region=world.township)
    response = as_user(world.secretary).post(
        reverse("deputies:mandate_add", args=[deputy.pk]),
        {
            "mandate-level": "township",
            "mandate-congress": "黄茅园镇第七届人民代表大会",
            "mandate-region": world.township.code,
            "mandate-started_on": "2026-03-19",
        },
    )
    assert response.status_code == 302
    seat = Mandate.objects.get(deputy=deputy)
    assert seat.started_on.isoformat() == "2026-03-19"
    assert not Mandate.objects.active_on(DAY).filter(pk=seat.pk).exists()


def test_an_error_report_never_shows_a_code(client):
    from django.views.debug import SafeExceptionReporterFilter

    response = client.post(reverse("vote:index"), {"code": "ABCDE-FGHJK", "step": "cast"})
    cleansed = SafeExceptionReporterFilter().get_post_parameters(response.wsgi_request)
    assert cleansed["code"] != "ABCDE-FGHJK" and cleansed["step"] == "cast"
