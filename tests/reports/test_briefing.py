"""The monthly PDF as a briefing: the attention rule, the appendix as of the month's
end, and a month made again later telling the same facts."""

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest

from handovers.services import handover_create
from reports.document import render_monthly
from reports.sections import Attention, attention_top
from tasks.models import ProgressReport, Task
from tests.notifications.data import build_scene, reception
from tests.reports.pdf import pdf_text

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(day: str, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), SHANGHAI)


def text_of(tmp_path, month: dt.date, name: str, *, layout: bool = True) -> str:
    target = tmp_path / f"{name}.pdf"
    target.write_bytes(render_monthly(month).pdf)
    return pdf_text(target, layout=layout)


def squeezed(text: str) -> str:
    return "".join(text.split())


def test_the_attention_rule_most_days_late_then_the_heavier_task():
    items = [
        Attention(days_late=30, weight=1, kind="逾期任务", title="a", ref="第1项"),
        Attention(days_late=45, weight=0, kind="红色督办（群众诉求转办）", title="b"),
        Attention(days_late=30, weight=3, kind="逾期任务", title="c", ref="第3项"),
        Attention(days_late=12, weight=9, kind="逾期任务", title="d", ref="第9项"),
        Attention(days_late=30, weight=2, kind="逾期任务", title="e", ref="第2项"),
        Attention(days_late=31, weight=0, kind="民生实事节点逾期", title="f"),
    ]
    assert [a.title for a in attention_top(items)] == ["b", "f", "c"]
    assert [a.title for a in attention_top(items, n=5)] == ["b", "f", "c", "e", "a"]
    assert attention_top([]) == []


def test_the_summary_names_the_three_items_by_the_rule(world, tmp_path):
    scene = build_scene(world)  # tasks 1–3 due 31 March 2025, weights 1–3
    referred = reception(scene, world, due=dt.date(2025, 3, 16), at=at("2025-03-06"))
    handover_create(
        kind="referral",
        subject=referred,
        title="村道路面破损，希望尽快修复",
        region=scene.station.region,
        unit=world.unit,
        by=world.staff,
        handed_on=dt.date(2025, 3, 6),
        due_on=dt.date(2025, 3, 16),
    )
    text = text_of(tmp_path, dt.date(2025, 4, 1), "april")
    page_one = text.split("\f")[0]
    attention = squeezed(page_one.split("需要领导关注的事项")[1])
    # The handover is 45 days late on 30 April; the three tasks 30 days, the heaviest first.
    items = re.findall(r"\d\.(.+?)超过期限(\d+)天", attention)
    assert [days for _what, days in items] == ["45", "30", "30"]
    assert items[0][0].startswith("红色督办（群众诉求转办）：村道路面破损")
    assert items[1][0].startswith("逾期任务：第3项") and items[2][0].startswith("逾期任务：第2项")
    assert "第1项" not in attention.split("按月末")[0]
    # The sentences and figures compare with the end of March.
    summary = squeezed(page_one)
    assert "本月新完成0项" in summary and "逾期3项（较上月+3）" in summary
    assert "红色督办事项1件（上月末1件）" in summary


def test_the_appendix_shows_reports_accepted_by_month_end_as_they_stood(world, tmp_path):
    scene = build_scene(world)
    task_2, task_3 = scene.tasks[1], scene.tasks[2]
    # Task 2: March's report sent on the 20th, accepted only on 2 April.
    ProgressReport.objects.create(
        task=task_2,
        unit=world.unit,
        month=dt.date(2025, 3, 1),
        text="三月报告在月末尚未审核的内容",
        percent=40,
        status=ProgressReport.Status.ACCEPTED,
        submitted_at=at("2025-03-20"),
        reviewed_at=at("2025-04-02"),
    )
    # Task 3: returned on 28 March; sent again with new text and accepted in April.
    report = ProgressReport.objects.create(
        task=task_3,
        unit=world.unit,
        month=dt.date(2025, 3, 1),
        text="退回前的三月报告",
        percent=30,
        status=ProgressReport.Status.RETURNED,
        submitted_at=at("2025-03-21"),
        reviewed_at=at("2025-03-28"),
    )
    report.history.update(history_date=at("2025-03-28"))
    report.text, report.percent = "修改后重新报送并通过的三月报告", 50
    report.status, report.reviewed_at = ProgressReport.Status.ACCEPTED, at("2025-04-05")
    report.save()
    report.history.filter(history_date__gt=at("2025-04-01")).update(history_date=at("2025-04-05"))

    march = squeezed(text_of(tmp_path, dt.date(2025, 3, 1), "march", layout=False))
    appendix = march.split("附件：各项任务最新进展")[-1]
    exceptions = appendix.split("例外情况")[1]
    assert "第2项" in exceptions and "2025年3月进度月末尚未审核" in exceptions
    assert "第3项" in exceptions and "2025年3月进度月末已退回修改" in exceptions
    assert "三月报告在月末尚未审核的内容" not in appendix  # not shown as progress
    assert "修改后重新报送" not in march and "退回前的三月报告" not in appendix
    assert "已组织全市代表联络站开展集中接待活动" in appendix  # task 1's, accepted
    assert "月末尚无已审核进度报告的任务3项：第2项、第3项、第4项" in appendix

    april = squeezed(text_of(tmp_path, dt.date(2025, 4, 1), "april", layout=False))
    appendix = april.split("附件：各项任务最新进展")[-1]
    assert "例外情况" not in appendix
    assert "三月报告在月末尚未审核的内容" in appendix
    assert "修改后重新报送并通过的三月报告" in appendix


def test_a_month_made_again_later_tells_that_months_facts(world, tmp_path):
    scene = build_scene(world)
    before = text_of(tmp_path, dt.date(2025, 3, 1), "first")
    # April happens: task 1 is finished, a report on task 2 is accepted, a follow-up closed.
    Task.objects.filter(pk=scene.tasks[0].pk).update(
        completed_on=dt.date(2025, 4, 10), percent_done=100
    )
    ProgressReport.objects.create(
        task=scene.tasks[1],
        unit=world.unit,
        month=dt.date(2025, 4, 1),
        text="四月的进展",
        percent=90,
        status=ProgressReport.Status.ACCEPTED,
        submitted_at=at("2025-04-20"),
        reviewed_at=at("2025-04-22"),
    )
    scene.tasks[2].follow_ups.update(closed_on=dt.date(2025, 4, 3))
    again = text_of(tmp_path, dt.date(2025, 3, 1), "again")

    def facts(text: str) -> list[str]:
        return [line for line in text.splitlines() if "生成时间" not in line]

    assert facts(again) == facts(before)  # statuses, figures, charts' labels, appendix
    assert "四月的进展" not in again
