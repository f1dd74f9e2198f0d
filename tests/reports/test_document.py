"""The monthly PDF itself: content, fonts, coverage, pages; the font system check."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from reports.checks import cjk_font_installed
from reports.document import render_monthly
from reports.models import GeneratedReport
from tests.notifications.data import build_scene, reception
from tests.reports.pdf import pdf_fonts, pdf_text, rendered_pages, uncovered_characters

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(world):
    scene = build_scene(world)
    at = dt.datetime(2025, 3, 16, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    for _ in range(3):
        reception(scene, world, due=dt.date(2025, 4, 10), at=at)
    return scene


def test_command_writes_a_pdf_a_reader_can_trust(scene, tmp_path, capsys):
    target = tmp_path / "march.pdf"
    call_command("monthly_report", "--month", "2025-03", "--output", str(target))
    assert "2025年3月工作进展报告.pdf" in capsys.readouterr().out
    report = GeneratedReport.objects.get()
    assert report.status == GeneratedReport.Status.DONE
    assert report.file.name.startswith("reports/2025-03/") and report.sha256 in report.file.name
    assert target.read_bytes().startswith(b"%PDF-")

    text = pdf_text(target)
    squeezed = "".join(text.split())
    for expected in (
        "2025年3月工作进展报告",
        "第1页共",  # the footer "第 X 页 共 Y 页"
        "逾期和滞后任务",
        "加强代表履职服务保障",
        "第1项",
        "第3项",
        "部分联络站值班记录不完整",  # the open follow-up
        "黄茅园镇人大代表联络站",
        "已组织全市代表联络站开展集中接待活动",  # appendix: task 1's latest report
    ):
        assert expected in squeezed, expected
    # Key figures as of 31 March: the deadline is the 31st itself, so nothing is overdue
    # yet; tasks 2 (late milestone), 3 and 4 (no March report) lag; 3 receptions.
    figures = "".join(pdf_text(target, layout=False).split())
    for expected in (
        "清单任务（项）4",
        "正常推进任务（项）1",
        "滞后任务（项）3",
        "逾期任务（项）0",
        "接待群众（人次）3",
        "督导问题待整改（个）1",
    ):
        assert expected in figures, expected
    assert "滞后" in squeezed.split("逾期和滞后任务")[-1]  # the status column is Chinese

    fonts = pdf_fonts(target)
    assert fonts and all(font["emb"] == "yes" for font in fonts)
    names = {font["name"].split("+")[-1] for font in fonts}
    assert "Noto-Sans-CJK-SC" in names and "Noto-Sans-CJK-SC-Bold" in names  # SC, real bold
    assert "Noto-Serif-CJK-SC" in names  # the title and the text are set in a Song face
    assert not uncovered_characters(text)
    pages = rendered_pages(target, tmp_path)
    assert len(pages) == report.pages >= 3
    assert all(page.stat().st_size > 1000 for page in pages)


def test_render_counts_pages_and_time(scene):
    rendered = render_monthly(dt.date(2025, 3, 1))
    assert rendered.pdf.startswith(b"%PDF-")
    assert rendered.pages >= 3


def test_system_check_fails_clearly_without_a_cjk_font(settings):
    assert cjk_font_installed() == []
    settings.REPORTS_CJK_FAMILIES = ["No Such Font CJK"]
    errors = cjk_font_installed()
    assert [e.id for e in errors] == ["reports.E001"]
    assert "empty boxes" in errors[0].msg and "fonts-noto-cjk" in errors[0].hint
