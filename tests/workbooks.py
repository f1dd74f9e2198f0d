"""Workbooks that lie about their size, for the spreadsheet reader's tests."""

from __future__ import annotations

import io
import re
import zipfile

from openpyxl.worksheet._read_only import ReadOnlyWorksheet

SHEET = "xl/worksheets/sheet1.xml"
HUGE = "A1:XFD1048576"  # 16,384 columns by 1,048,576 rows, the most Excel allows


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def inflate(content: bytes, *, dimension: str = HUGE, cells: dict[str, str] | None = None) -> bytes:
    """``content`` (an openpyxl-written .xlsx) with its first sheet declaring
    ``dimension`` and holding ``cells`` ({"XFD2": "x"}) too: a far column goes at the end
    of its row, a far row after the last one. The file stays a few kilobytes."""
    source = zipfile.ZipFile(io.BytesIO(content))
    xml = source.read(SHEET).decode()
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', f'<dimension ref="{dimension}"/>', xml)
    for ref, text in (cells or {}).items():
        row = re.sub(r"^[A-Z]+", "", ref)
        pattern = re.compile(rf'(<row r="{row}"[^>]*>.*?)(</row>)', re.S)
        cell = _cell(ref, text)
        if pattern.search(xml):
            xml = pattern.sub(lambda m, cell=cell: m.group(1) + cell + m.group(2), xml, count=1)
        else:
            xml = xml.replace("</sheetData>", f'<row r="{row}">{cell}</row></sheetData>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = xml.encode() if item.filename == SHEET else source.read(item.filename)
            target.writestr(item.filename, data)
    return out.getvalue()


def spy_row_widths(monkeypatch) -> list[int]:
    """The width of every row openpyxl builds from now on in the test (it pads each row
    to the width asked for, or to the sheet's declared width if none is)."""
    widths: list[int] = []
    original = ReadOnlyWorksheet._get_row

    def spy(self, *args, **kwargs):
        row = original(self, *args, **kwargs)
        widths.append(len(row))
        return row

    monkeypatch.setattr(ReadOnlyWorksheet, "_get_row", spy)
    return widths
