"""The monthly job through a real Celery worker on Redis (scripts/test.sh, stage 2)."""

import datetime as dt
import time
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from reports.models import GeneratedReport
from reports.services import report_schedule_monthly
from tests.notifications.data import build_scene, reception
from tests.reports.pdf import pdf_fonts, pdf_text, rendered_pages, uncovered_characters

pytestmark = [pytest.mark.worker, pytest.mark.postgres]


def wait_until_finished(report_id: int, timeout: float = 120) -> GeneratedReport:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        report = GeneratedReport.objects.get(pk=report_id)
        if report.status in (GeneratedReport.Status.DONE, GeneratedReport.Status.FAILED):
            return report
        time.sleep(0.3)
    pytest.fail("the worker did not finish the report")


def test_monthly_job_stores_exactly_one_pdf(world, celery_worker, tmp_path):
    scene = build_scene(world)
    at = dt.datetime(2025, 3, 6, 9, tzinfo=ZoneInfo("Asia/Shanghai"))
    reception(scene, world, due=dt.date(2025, 4, 6), at=at)
    # Beat fires twice on 1 April (two beat processes by mistake).
    first = report_schedule_monthly(today=dt.date(2025, 4, 1))
    second = report_schedule_monthly(today=dt.date(2025, 4, 1))
    assert first.pk == second.pk
    report = wait_until_finished(first.pk)
    assert report.status == GeneratedReport.Status.DONE, report.error
    time.sleep(1)  # a duplicate message, were there one, would now have been handled
    assert GeneratedReport.objects.count() == 1
    stored = list((settings.MEDIA_ROOT / "reports").rglob("*.pdf"))
    assert [p.name for p in stored] == [f"{report.sha256}.pdf"]

    path = stored[0]
    text = pdf_text(path)
    squeezed = "".join(text.split())
    assert "2025年3月工作进展报告" in squeezed
    assert "第2项" in squeezed and "第3项" in squeezed and "第4项" in squeezed
    figures = "".join(pdf_text(path, layout=False).split())
    assert "清单任务（项）4" in figures and "滞后任务（项）3" in figures
    assert "接待群众（人次）1" in figures
    fonts = pdf_fonts(path)
    assert {f["name"].split("+")[-1] for f in fonts} >= {"Noto-Sans-CJK-SC"}
    assert all(f["emb"] == "yes" for f in fonts)
    assert not uncovered_characters(text)
    assert len(rendered_pages(path, tmp_path)) == report.pages
