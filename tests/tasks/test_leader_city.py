"""The leader's home and instructions in the demo city (seeded once per session). Marked
``city``: run once, on PostgreSQL."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from handovers.models import Handover
from organisation.models import User
from reports.document import render_monthly
from tasks.models import Instruction
from tests.reports.pdf import pdf_text

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]

#: The chair's home in the demo city: every module's panels, the leader's among them.
HOME_BUDGET = 60


def test_the_chairs_home_shows_the_tasks_they_lead_within_a_query_budget(client):
    client.force_login(User.objects.get(username="leader"))
    client.get("/")
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/").content.decode()
    assert "我牵头的任务" in html and "本月工作进展报告" in html
    assert len(queries) <= HOME_BUDGET, len(queries)


def test_the_demo_has_an_answered_instruction_last_month_and_an_open_one():
    instructions = list(Instruction.objects.select_related("handover").order_by("written_on"))
    assert len(instructions) == 2
    answered, still_open = instructions
    assert answered.handover.state == Handover.State.CLOSED and answered.handover.rating
    assert still_open.handover.state == Handover.State.HANDED


def test_last_months_pdf_shows_the_answered_instruction(tmp_path):
    today = timezone.localdate()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    path = tmp_path / "month.pdf"
    path.write_bytes(render_monthly(month).pdf)
    text = "".join(pdf_text(path, layout=False).split())
    assert "领导批示" in text and "请抓紧推进" in text and "已召开专题推进会" in text
