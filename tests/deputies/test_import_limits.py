"""The deputies import against bad and hostile workbooks: each cell against its model
field (an over-long cell was a 500 on PostgreSQL), the row cap, a sheet that declares a
huge size (a 51 KB file once took 845 MB)."""

import io

import pytest
from django.urls import reverse

from congress_portal.spreadsheets import HEADER_WIDTH
from deputies.models import Deputy
from tests.deputies.test_deputies import row, workbook
from tests.workbooks import inflate, spy_row_widths

pytestmark = pytest.mark.django_db

COLUMN = {"name": 0, "birth_year": 3, "occupation": 5, "work_unit": 6, "phone": 7, "congress": 10}


def post(client, book):
    return client.post(reverse("deputies:import"), {"file": book})


def errors(response):
    return [(e.row, e.column, e.message) for e in response.context["errors"]]


@pytest.mark.parametrize(
    ("key", "value", "column", "message"),
    [
        ("name", "陈" * 200, "姓名", "最多 40 个字，此单元格有 200 个字。"),
        ("occupation", "职" * 61, "职业", "最多 60 个字，此单元格有 61 个字。"),
        ("work_unit", "单" * 101, "工作单位", "最多 100 个字，此单元格有 101 个字。"),
        ("congress", "届" * 81, "代表大会及届次", "最多 80 个字，此单元格有 81 个字。"),
        ("birth_year", 40000, "出生年份", "出生年份不合理。"),
        ("birth_year", "²", "出生年份", "出生年份不合理。"),
        ("phone", "²" * 11, "手机", "电话号码应为 7 至 15 位数字。"),
    ],
)
def test_a_cell_beyond_its_field_is_named_not_a_500(world, as_user, key, value, column, message):
    bad = row(name="舒国庆")
    bad[COLUMN[key]] = value
    response = post(as_user(world.staff), workbook([row(), bad]))
    assert response.status_code == 400
    assert errors(response) == [(3, column, message)]
    assert not Deputy.objects.exists()


def test_the_row_cap_is_a_setting(world, as_user, settings):
    settings.IMPORT_MAX_ROWS = 2
    response = post(as_user(world.staff), workbook([row(name=f"代表{i}") for i in range(4)]))
    assert response.status_code == 400
    assert errors(response) == [(4, "（文件）", "工作表表头下最多 2 行。")]
    assert not Deputy.objects.exists()


def test_a_sheet_declaring_a_huge_size_imports_what_it_holds(world, as_user, monkeypatch):
    widths = spy_row_widths(monkeypatch)
    book = workbook([row(), row(name="舒国庆")])
    content = inflate(book.getvalue(), cells={"XFD1": "x", "XFD2": "x" * 5000, "XFD3": "x"})
    upload = io.BytesIO(content)
    upload.name = "deputies.xlsx"
    response = post(as_user(world.staff), upload)
    assert response.status_code == 302
    assert sorted(Deputy.objects.values_list("name", flat=True)) == ["舒国庆", "陈春花"]
    assert widths and max(widths) <= HEADER_WIDTH  # never the declared 16,384 columns
