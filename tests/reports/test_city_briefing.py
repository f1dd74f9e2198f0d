"""The demo city's monthly PDF for last month, read as a leader would: a one-page
summary whose sentences and figures match the database, at least four charts, embedded
fonts only (serif and sans), no tofu, fewer pages than the 22-page data dump it replaced."""

import datetime as dt
import re

import pytest
from django.utils import timezone

from liaison_stations.models import Reception
from reports.document import render_monthly
from reports.sections import ReportPeriod
from reports.services import previous_month
from tasks.models import Task, TaskList
from tasks.selectors import status_counts
from tasks.status import TaskStatus
from tests.reports.pdf import pdf_fonts, pdf_text, rendered_pages, uncovered_characters

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]
CHART_TITLES = (
    "各清单任务状态",
    "年各月末任务完成进度",
    "逾期和滞后任务（按牵头单位）",
    "年各月接待群众人次",
    "重点工作主要指标",
)


def totals(lists, day: dt.date) -> dict[str, int]:
    counts = dict.fromkeys(TaskStatus.values, 0)
    for task_list in lists:
        for status, n in status_counts(today=day, task_list=task_list).items():
            counts[status] += n
    return counts


def signed(n: int) -> str:
    return f"+{n}" if n > 0 else ("持平" if n == 0 else str(n))


def test_the_demo_citys_last_month_is_a_briefing(tmp_path):
    period = ReportPeriod(previous_month(timezone.localdate()))
    rendered = render_monthly(period.month)
    path = tmp_path / "briefing.pdf"
    path.write_bytes(rendered.pdf)
    text = pdf_text(path)
    pages = text.split("\f")
    one = "".join(pages[0].split())

    # Page 1 is the whole summary; the charts begin on page 2.
    assert one.startswith("怀化市人大常委会办公室")
    for heading in ("综述", "主要数据", "需要领导关注的事项", "天数相同的以任务权重大者在前"):
        assert heading in one, heading
    assert "".join(pages[1].split()).split("图表")[0].endswith("工作进展报告")  # running head

    # Sentences and figures from the database, this month and last.
    lists = list(TaskList.objects.filter(year=period.month.year))
    now, before = totals(lists, period.as_of), totals(lists, period.previous.as_of)
    finished = Task.objects.filter(
        task_list__in=lists, completed_on__gte=period.first_day, completed_on__lte=period.as_of
    ).count()
    lagging, overdue = TaskStatus.LAGGING, TaskStatus.OVERDUE
    for sentence in (
        f"{len(lists)}份任务清单共{sum(now.values())}项任务",
        f"本月新完成{finished}项",
        f"滞后{now[lagging]}项（较上月{signed(now[lagging] - before[lagging])}）",
        f"逾期{now[overdue]}项（较上月{signed(now[overdue] - before[overdue])}）",
    ):
        assert sentence in one, sentence
    received = Reception.objects.filter(
        received_at__date__gte=period.first_day, received_at__date__lte=period.as_of
    ).count()
    assert f"接待群众{received}人次" in one
    for label, status in (("逾期任务（项）", overdue), ("滞后任务（项）", lagging)):
        row = re.search(rf"{label}\s+(\d+)\s+(\d+)\s", pages[0])
        assert row and row.groups() == (str(now[status]), str(before[status])), label
    items = re.findall(r"超过期限(\d+)天", one)
    assert len(items) == 3 and [int(d) for d in items] == sorted(map(int, items), reverse=True)

    # At least four charts, each with a title the text layer carries.
    found = [title for title in CHART_TITLES if title in "".join(text.split())]
    assert len(found) >= 4, found
    assert text.count("<svg") == 0  # drawn, not printed as markup

    # Shorter than the data dump, fonts embedded, nothing the fonts cannot draw.
    assert rendered.pages < 22
    fonts = pdf_fonts(path)
    assert fonts and all(font["emb"] == "yes" for font in fonts)
    names = {font["name"].split("+")[-1] for font in fonts}
    assert {"Noto-Serif-CJK-SC", "Noto-Sans-CJK-SC", "Noto-Sans-CJK-SC-Bold"} <= names
    assert not uncovered_characters(text)
    images = rendered_pages(path, tmp_path)
    assert len(images) == rendered.pages
