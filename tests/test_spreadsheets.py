"""The one spreadsheet reader (congress_portal/spreadsheets.py): only the expected columns,
a row cap, each cell checked against its model field, every error by row and column."""

import io

import pytest
from openpyxl import Workbook

from congress_portal.spreadsheets import (
    HEADER_WIDTH,
    CellError,
    Column,
    Sheet,
    SheetUnreadable,
    field_of,
    integer_range,
)
from deputies.models import Deputy, Mandate
from tasks.models import Task
from tests.workbooks import inflate, spy_row_widths

COLUMNS = [
    Column("姓名", field_of(Deputy, "name")),
    Column("出生年份", field_of(Deputy, "birth_year")),
    Column("代表层级", field_of(Mandate, "level")),
    Column("备注", required=False),
]


def workbook(rows, headers=("姓名", "出生年份", "代表层级")) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def read(content: bytes, **options):
    """(values read per row, errors) of ``content``."""
    with Sheet(io.BytesIO(content), COLUMNS, **options) as sheet:
        rows = [
            (
                row.text("姓名"),
                row.integer("出生年份", optional=True),
                row.choice("代表层级", {"县": "county"}, message="层级?"),
            )
            for row in sheet.rows()
        ]
    return rows, sheet.errors


@pytest.fixture
def row_widths(monkeypatch):
    return spy_row_widths(monkeypatch)


def test_the_limits_come_from_the_model_fields():
    assert integer_range(field_of(Task, "number")) == (0, 32767)  # PositiveSmallIntegerField
    assert integer_range(field_of(Task, "weight")) == (1, 100)  # its validators
    rows, errors = read(workbook([["陈春花", 40000, "县"], ["舒国庆", "²", "县"]]))
    assert [str(e) for e in errors] == [
        "第 2 行“出生年份”列：请填写 0 到 32767 之间的整数。",
        "第 3 行“出生年份”列：请填写 0 到 32767 之间的整数。",
    ]
    assert rows == [("陈春花", None, "county"), ("舒国庆", None, "county")]


def test_an_over_long_cell_and_an_unknown_choice_are_named_by_row_and_column():
    rows, errors = read(workbook([["陈" * 200, 1978, "县"], ["舒国庆", 1978, "村"]]))
    assert errors == [
        CellError(2, "姓名", "最多 40 个字，此单元格有 200 个字。"),
        CellError(3, "代表层级", "层级?"),
    ]


def test_a_choice_outside_the_fields_choices_is_refused_whatever_the_aliases_say():
    with Sheet(io.BytesIO(workbook([["陈春花", 1978, "县"]])), COLUMNS) as sheet:
        values = [row.choice("代表层级", {"县": "parish"}, message="层级?") for row in sheet.rows()]
    assert values == [None] and [e.column for e in sheet.errors] == ["代表层级"]


def test_a_declared_huge_sheet_is_read_only_as_far_as_the_expected_columns(row_widths):
    """A 16,384-column, million-row dimension and a cell at XFD: openpyxl pads every row
    it hands out to the width asked for, so the reader asks for three columns (the
    header for HEADER_WIDTH), never for the declared 16,384."""
    content = inflate(
        workbook([["陈春花", 1978, "县"], ["舒国庆", 1980, "县"]]),
        cells={"XFD1": "多余", "XFD2": "x" * 1000, "XFD3": "x"},
    )
    assert len(content) < 10_000
    rows, errors = read(content)
    assert rows == [("陈春花", 1978, "county"), ("舒国庆", 1980, "county")] and errors == []
    assert row_widths and max(row_widths) <= HEADER_WIDTH
    assert row_widths[1:] == [3, 3]  # the rows: up to the last expected column


def test_a_far_row_stops_the_reading_at_the_cap(settings, row_widths):
    """A cell at row 1,048,576: the reader stops at the cap (blank rows beyond it are
    skipped, as many as the cap) with an error, instead of walking a million rows."""
    settings.IMPORT_MAX_ROWS = 10
    content = inflate(workbook([["陈春花", 1978, "县"]]), cells={"A1048576": "陈春花"})
    rows, errors = read(content)
    assert rows == [("陈春花", 1978, "county")]
    assert [str(e) for e in errors] == ["第 22 行“（文件）”列：工作表表头下最多 10 行。"]
    assert len(row_widths) < 30


def test_the_row_cap_names_the_first_row_beyond_and_stops_there(settings):
    settings.IMPORT_MAX_ROWS = 3
    rows, errors = read(workbook([[f"代表{i}", 1978, "县"] for i in range(6)]))
    assert len(rows) == 3
    assert [(e.row, e.message) for e in errors] == [(5, "工作表表头下最多 3 行。")]


def test_the_header_strict_and_lenient():
    content = workbook([], headers=("姓名", "姓名", "籍贯"))
    with Sheet(io.BytesIO(content), COLUMNS[:3], strict=True) as strict:
        pass
    assert [(e.row, e.column, e.message) for e in strict.errors] == [
        (1, "姓名", "该列重复出现。"),
        (1, "籍贯", "未知的列。应有的列为：姓名、出生年份、代表层级。"),
        (1, "出生年份", "缺少这一必填列。"),
        (1, "代表层级", "缺少这一必填列。"),
    ]
    with Sheet(io.BytesIO(content), COLUMNS[:3]) as lenient:
        pass
    assert [e.column for e in lenient.errors] == ["出生年份", "代表层级"]


@pytest.mark.parametrize("content", [b"", b"name,unit\n", b"PK\x03\x04 broken zip"])
def test_what_is_no_workbook_is_refused_as_a_whole(content):
    with pytest.raises(SheetUnreadable):
        Sheet(io.BytesIO(content), COLUMNS)
