"""The oversight section of the monthly PDF: cases of the month, the rectification rate,
verified counted apart from closed unresolved, and the overdue items by unit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from handovers.services import handover_answer
from oversight.services import problem_close_unresolved, problems_hand_over, visit_record
from tests.oversight.conftest import DAY, add_problems, make_case
from tests.reports.pdf import pdf_text

pytestmark = pytest.mark.django_db


def test_the_monthly_pdf_counts_verified_apart_from_closed_unresolved(world, tmp_path):
    case = make_case(world)
    problems = add_problems(world, case, n=4)
    problems_hand_over(case=case, by=world.staff, on=DAY)
    for p in problems[:3]:
        p.refresh_from_db()
        handover_answer(
            handover=p.handover, by=world.outsider, text="已整改", on=dt.date(2026, 4, 1)
        )
    visit_record(
        case=case,
        date=dt.date(2026, 4, 20),
        who="暗访组",
        outcomes={problems[0].pk: "rectified", problems[1].pk: "rectified", problems[2].pk: "not"},
        by=world.staff,
    )
    problems[2].refresh_from_db()
    problem_close_unresolved(
        problem=problems[2], by=world.staff, reason="需省级协调", on=dt.date(2026, 5, 10)
    )
    target = tmp_path / "may.pdf"
    call_command("monthly_report", "--month", "2026-05", "--output", str(target))
    text = "".join(pdf_text(target).split())
    section = text.split("监督工作和问题整改")[-1]
    for expected in (
        "环境保护法执法检查",
        "2026年监督发现问题4项：整改到位并核实2项，未解决办结1项",
        "仍在整改1项",
        "整改到位率50.0%",
        "市司法局",  # one item overdue since 2 May
    ):
        assert expected in section, expected
    # The key figures page: verified, the rate, closed unresolved apart.
    figures = "".join(pdf_text(target, layout=False).split())
    assert "监督发现问题整改到位并核实（项）2" in figures
    assert "监督发现问题未解决办结（项）1" in figures
    assert "未解决办结1项另计" in figures


def test_a_month_without_oversight_has_no_section(world, tmp_path):
    target = tmp_path / "jan.pdf"
    call_command("monthly_report", "--month", "2026-01", "--output", str(target))
    assert "监督工作和问题整改" not in "".join(pdf_text(target).split())
