"""The benchmark's smoke run (``scripts/benchmark.py --scale smoke`` at the smallest
scale): it measures every role's pages, adds the years of history, measures the anchors
and the PDF, and writes its JSON and table. Times are not asserted; the pages answer."""

import importlib.util
import json
from pathlib import Path

import pytest
from django.conf import settings

from tests.tasks.factories import AspectFactory, ProgressReportFactory, TaskFactory, TaskListFactory

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def load_benchmark():
    path = Path(settings.BASE_DIR) / "scripts" / "benchmark.py"
    spec = importlib.util.spec_from_file_location("portal_benchmark", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_smoke_run_measures_every_role_and_writes_the_json(world, tmp_path):
    task_list = TaskListFactory()
    aspect = AspectFactory(task_list=task_list, number=1)
    for n in range(1, 4):
        task = TaskFactory(task_list=task_list, aspect=aspect, number=n, lead_unit=world.unit)
    ProgressReportFactory(task=task, unit=world.unit)
    out = tmp_path / "benchmark-smoke.json"

    load_benchmark().run(scale="smoke", repeat=1, years=3, out=out, seed=False, pdf_repeat=1)

    result = json.loads(out.read_text())
    assert {row["role"] for row in result["ten_years"]} == {
        "staff",
        "leader",
        "unit",
        "secretary",
        "deputy",
    }
    assert all(row["status"] in (200, 302) for row in result["ten_years"])
    assert all(row["queries"] > 0 for row in result["ten_years"])  # counted
    assert result["history_added"]["task_lists"] == 2  # the two years before this one
    assert result["history_added"]["reports"] == 2 * 3 * 12
    anchors = result["anchors"]
    assert anchors["rows"] == 3
    assert anchors["tasks_page"]["status"] == anchors["tasks_bare"]["status"] == 200
    assert anchors["tasks_admin"]["status"] == 200
    assert result["pdf"]["weasyprint_alone_ms"] > 0
    assert "| anchor | portal | anchor | ratio |" in out.with_suffix(".md").read_text()
