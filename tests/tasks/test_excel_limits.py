"""The task-list import against bad and hostile workbooks: each cell against its model
field, the row cap, a sheet that declares a huge size (congress_portal/spreadsheets.py)."""

import pytest
from django.urls import reverse

from congress_portal.spreadsheets import HEADER_WIDTH
from tasks.models import TaskList
from tests.tasks.factories import xlsx
from tests.tasks.test_excel import errors_of, post_import, row
from tests.workbooks import inflate, spy_row_widths

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("方面序号", 40000, "请填写 1 到 9999 之间的整数。"),
        ("方面序号", "²", "请填写 1 到 9999 之间的整数。"),
        ("权重", 40000, "请填写 1 到 100 之间的整数。"),
        ("权重", "²", "请填写 1 到 100 之间的整数。"),
        ("方面", "方" * 201, "最多 200 个字，此单元格有 201 个字。"),
        ("节点", "2025-06-30 " + "调" * 201, "最多 200 个字，此单元格有 201 个字。"),
    ],
)
def test_a_cell_beyond_its_field_is_named_at_the_preview(world, as_user, column, value, message):
    """Before the reader, a 40000 passed the preview and broke the confirmation, and an
    over-long aspect or milestone title was cut short without a word."""
    overrides = {"aspect": value} if column == "方面序号" else {column: value}
    content = xlsx([row(1), row(2, **overrides)])
    assert errors_of(content) == [f"第 3 行“{column}”列：{message}"]
    response = post_import(as_user(world.staff), content)
    assert response.status_code == 400 and message in response.content.decode()
    assert not TaskList.objects.exists()


def test_the_row_cap_is_a_setting(world, as_user, settings):
    settings.IMPORT_MAX_ROWS = 3
    assert errors_of(xlsx([row(n) for n in range(1, 4)])) == []
    content = xlsx([row(n) for n in range(1, 6)])
    assert errors_of(content) == ["第 5 行“（文件）”列：工作表表头下最多 3 行。"]
    assert post_import(as_user(world.staff), content).status_code == 400
    assert not TaskList.objects.exists()


def test_a_sheet_declaring_a_huge_size_imports_what_it_holds(world, as_user, monkeypatch):
    widths = spy_row_widths(monkeypatch)
    """A 16,384-column by 1,048,576-row dimension and cells at XFD (beyond the export's
    columns, so never read): the preview and the confirmation read the real rows."""
    content = inflate(xlsx([row(1), row(2)]), cells={"XFD1": "x", "XFD2": "x" * 5000})
    client = as_user(world.staff)
    response = post_import(client, content)
    assert response.status_code == 200
    token = response.context["confirm"].initial["token"]
    response = client.post(
        reverse("tasks:import_confirm"),
        {"title": "大表", "year": 2025, "kind": "committee", "token": token},
    )
    assert response.status_code == 302
    assert TaskList.objects.get().tasks.count() == 2
    assert widths and max(widths) <= HEADER_WIDTH  # never the declared 16,384 columns
