"""The livelihood section of the monthly PDF, read back from the PDF's text."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from livelihood.delivery import allocation_make, milestone_add, progress_report, projects_open
from livelihood.models import FundPool, Project
from tests.livelihood.conftest import make_proposal
from tests.reports.pdf import pdf_text

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_the_monthly_pdf_has_projects_by_stage_money_per_pool_and_late_milestones(world, tmp_path):
    road = make_proposal(world, status="chosen", title="飞跃桥道路硬化", year=2025)
    pipes = make_proposal(world, status="chosen", title="金中村饮水管网改造", year=2025)
    projects_open([road.pk, pipes.pk])
    lamp = make_proposal(world, status="chosen", title="桐木村垃圾收集点", year=2025)
    projects_open([lamp.pk])
    pool = FundPool.objects.create(
        year=2025, level="township", region=world.township, funded_by=world.township, amount=150
    )
    unit = world.township_unit_contact
    first, second = Project.objects.get(proposal=road), Project.objects.get(proposal=pipes)
    allocation_make(
        pool=pool, project=first, amount="45", by=world.secretary, on=dt.date(2025, 4, 8)
    )
    allocation_make(
        pool=pool, project=second, amount="30", by=world.secretary, on=dt.date(2025, 4, 8)
    )
    progress_report(project=first, by=unit, text="路基", spent="20", on=dt.date(2025, 5, 18))
    progress_report(
        project=first,
        by=unit,
        text="通车",
        spent="25",
        completes=True,
        photos=[SimpleUploadedFile("a.png", PNG)],
        on=dt.date(2025, 9, 28),
    )
    progress_report(project=second, by=unit, text="管材到场", spent="9.6", on=dt.date(2025, 6, 2))
    milestone_add(project=second, by=unit, title="主管网开挖铺设", due=dt.date(2025, 9, 10))

    target = tmp_path / "sept.pdf"
    call_command("monthly_report", "--month", "2025-09", "--output", str(target))
    text = "".join(pdf_text(target).split())
    section = text.split("民生实事项目实施")[-1]
    for expected in (
        "民生实事项目3项：已完成1项，实施中1项，尚未开工1项；节点逾期1项",
        "资金池已安排75.00万元，已支出54.60万元",
        "黄茅园镇乡镇级项目",
        "150.00",
        "主管网开挖铺设",
        "2025-09-10",
        "金中村饮水管网改造",
    ):
        assert expected in section, expected
    assert re.search(r"民生实事项目（项）\s+3\s", pdf_text(target))  # the summary's figures

    # As of August the road was still under way, and nothing was late.
    target = tmp_path / "aug.pdf"
    call_command("monthly_report", "--month", "2025-08", "--output", str(target))
    text = "".join(pdf_text(target).split())
    assert "已完成0项，实施中2项，尚未开工1项；节点逾期0项" in text


def test_the_monthly_pdf_has_the_evaluation_results(world, tmp_path):
    from livelihood.models import Evaluation
    from tests.ballots.conftest import open_hall

    road = make_proposal(world, status="chosen", title="飞跃桥道路硬化", year=2026)
    lights = make_proposal(world, status="chosen", title="集镇路灯安装", year=2026)
    projects_open([road.pk, lights.pk])
    poll = open_hall(world, 3).poll(method="rate", options=2)
    day = dt.date(2026, 3, 18)
    Evaluation.objects.create(
        proposal=road, poll=poll, roll=30, satisfied=20, basic=6, unsatisfied=2, abstain=2,
        unsatisfactory=False, recorded_on=day,
    )  # fmt: skip
    Evaluation.objects.create(
        proposal=lights, poll=poll, roll=30, satisfied=5, basic=10, unsatisfied=12, abstain=3,
        unsatisfactory=True, recorded_on=day,
    )  # fmt: skip
    target = tmp_path / "march.pdf"
    call_command("monthly_report", "--month", "2026-03", "--output", str(target))
    text = "".join(pdf_text(target).split())
    section = text.split("代表满意度测评")[-1]
    assert "测评已完成项目2项，其中测评不满意1项" in section
    assert "集镇路灯安装" in section and "黄茅园镇七届人大四次会议" in section
