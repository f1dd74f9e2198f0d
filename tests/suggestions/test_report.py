"""The suggestions' section of the monthly PDF, rendered and read back."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from handovers.services import handover_answer, handover_rate
from reports.document import render_monthly
from tests.reports.pdf import pdf_text
from tests.suggestions.conftest import handed, submitted

pytestmark = pytest.mark.django_db


def test_the_month_the_four_rates_and_the_late_ones_in_the_pdf(world, deputies, tmp_path):
    with time_machine.travel(dt.datetime(2026, 1, 5, 9, tzinfo=dt.UTC), tick=False):
        handed(
            world,
            deputies,
            title="关于金中村饮水工程提质改造的建议",
            due_on=dt.date(2026, 3, 5),
        )
    with time_machine.travel(dt.datetime(2026, 3, 3, 9, tzinfo=dt.UTC), tick=False):
        answered = handed(world, deputies, title="关于加快大埠至黄金街道路硬化的建议")
        submitted(world, deputies, title="关于增设校车的建议")
    with time_machine.travel(dt.datetime(2026, 3, 20, 9, tzinfo=dt.UTC), tick=False):
        handover_answer(
            handover=answered.handover,
            by=deputies.county_contact,
            text="已列入2026年农村公路建设计划。",
            answer_class="A",
        )
        handover_rate(handover=answered.handover, by=world.deputy, rating="satisfied")
    target = tmp_path / "march.pdf"
    target.write_bytes(render_monthly(dt.date(2026, 3, 1)).pdf)
    text = "".join(pdf_text(target).split())
    chapter = text.split("代表建议办理")[-1]
    assert "本月新提出代表建议2件，交办1件，承办单位答复1件，办结1件。" in chapter
    assert "2026年已交办2件：答复率50%，按时答复率100%，满意率100%" in chapter
    assert "解决率100%" in chapter and "逾期未答复1件" in chapter
    assert "关于金中村饮水工程提质改造的建议" in chapter.split("逾期未答复的建议")[1]
    figures = "".join(pdf_text(target, layout=False).split())
    assert "代表建议本年已交办（件）2" in figures  # the summary's key figures
