"""The staff's spreadsheet: the template, import (validated row by row) and export.

The column headers are the staff's own Chinese headings and stay the same whatever the
interface language, because the file is a data format: an export made in English must
import again. Export writes exactly the columns import reads (plus two read-only
columns at the end), so a round trip keeps every task's definition.
"""

from __future__ import annotations

import datetime
import io
import re
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import IO, Any

from django.core.files.uploadedfile import UploadedFile
from django.db.models import Q
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from congress_portal.spreadsheets import (
    CellError,
    Column,
    Sheet,
    SheetUnreadable,
    as_date,
    as_text,
    field_of,
    too_long,
)
from organisation.models import Unit, User
from organisation.roles import Role
from tasks.models import Aspect, Milestone, Task

MAX_IMPORT_BYTES = 5 * 1024 * 1024
LONG_TERM = "常态化"
LIST_SEPARATOR = "、"

# (header, key, required, width)
COLUMNS: list[tuple[str, str, bool, int]] = [
    ("方面序号", "aspect_number", True, 8),
    ("方面", "aspect_title", True, 24),
    ("序号", "number", True, 6),
    ("任务内容", "content", True, 50),
    ("预期成果", "expected_result", False, 30),
    ("牵头领导", "lead_leader", False, 10),
    ("牵头单位", "lead_unit", True, 18),
    ("配合单位", "cooperating_units", False, 24),
    ("完成时限", "deadline", True, 12),
    ("权重", "weight", False, 6),
    ("节点", "milestones", False, 30),
]
# Written by export for the reader, ignored by import.
EXPORT_ONLY = [("状态", 10), ("进度(%)", 8)]
HEADERS = [c[0] for c in COLUMNS]


@dataclass
class ParsedMilestone:
    due_date: datetime.date
    title: str


@dataclass
class ParsedTask:
    row: int
    aspect_number: int
    aspect_title: str
    number: int
    content: str
    expected_result: str
    lead_leader: User | None
    lead_unit: Unit
    cooperating_units: list[Unit]
    deadline: datetime.date | None
    is_long_term: bool
    weight: int
    milestones: list[ParsedMilestone] = field(default_factory=list)


@dataclass
class ParseResult:
    tasks: list[ParsedTask] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.tasks)

    @property
    def aspects(self) -> list[tuple[int, str, int]]:
        seen: dict[int, list] = {}
        for task in self.tasks:
            seen.setdefault(task.aspect_number, [task.aspect_title, 0])[1] += 1
        return [(n, title, count) for n, (title, count) in sorted(seen.items())]


# --- Template and export -------------------------------------------------------------------


def _sheet(title: str) -> tuple[Workbook, Any]:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    headers = HEADERS + [h for h, _w in EXPORT_ONLY]
    widths = [c[3] for c in COLUMNS] + [w for _h, w in EXPORT_ONLY]
    sheet.append(headers)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="EEF1F4")
    sheet.freeze_panes = "A2"
    return workbook, sheet


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def template_workbook() -> bytes:
    """An empty list with the headers and one example row the staff overwrite."""
    workbook, sheet = _sheet("任务清单")
    sheet.append(
        [
            1,
            "坚持党的全面领导",
            1,
            "（示例，请覆盖）组织常委会党组理论学习中心组专题学习",
            "全年开展专题学习不少于4次",
            "",
            "怀化市人大常委会办公室",
            "怀化市人大常委会研究室、怀化市人大常委会代表人事选举任免联络工作委员会",
            LONG_TERM,
            1,
            "2025-06-30 完成上半年专题学习",
        ]
    )
    notes = workbook.create_sheet("填写说明")
    for line in [
        "每行一项任务；方面序号相同的任务属于同一方面，方面名称须一致。",
        "序号在清单内不得重复。",
        "牵头单位、配合单位填写单位全称或简称；多个配合单位用“、”分隔。",
        "牵头领导填写常委会领导姓名，可空。",
        "完成时限填写日期（如 2025-12-31）或“常态化”。",
        "权重为 1–100 的整数，空白按 1 计。",
        "节点每行一个：日期 空格 名称，如“2025-06-30 完成调研”。",
        "“状态”“进度(%)”两列由导出生成，导入时忽略。",
    ]:
        notes.append([line])
    notes.column_dimensions["A"].width = 80
    return _to_bytes(workbook)


def export_workbook(tasks: Iterable, status_labels: dict[str, str]) -> bytes:
    """The tasks as rows of the import format (tasks need aspect, units, leader, milestones)."""
    workbook, sheet = _sheet("任务清单")
    wrap = Alignment(wrap_text=True, vertical="top")
    for task in tasks:
        sheet.append(
            [
                task.aspect.number,
                task.aspect.title,
                task.number,
                task.content,
                task.expected_result,
                task.lead_leader.full_name if task.lead_leader else "",
                task.lead_unit.name,
                LIST_SEPARATOR.join(u.name for u in task.cooperating_units.all()),
                LONG_TERM if task.is_long_term else task.deadline,
                task.weight,
                "\n".join(f"{m.due_date:%Y-%m-%d} {m.title}" for m in task.milestones.all()),
                status_labels.get(getattr(task, "status", ""), ""),
                task.percent_done,
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.alignment = wrap
        sheet.cell(row=sheet.max_row, column=9).number_format = "yyyy-mm-dd"
    return _to_bytes(workbook)


# --- Import ----------------------------------------------------------------------------------

# The numbers of aspects and tasks, as a task's form allows (the column holds 32,767).
MAX_NUMBER = 9999


def import_columns() -> list[Column]:
    """The columns import reads, each with the model field its cells go to."""
    fields = {
        "方面序号": field_of(Aspect, "number"),
        "方面": field_of(Aspect, "title"),
        "序号": field_of(Task, "number"),
        "任务内容": field_of(Task, "content"),
        "预期成果": field_of(Task, "expected_result"),
        "权重": field_of(Task, "weight"),
    }
    return [Column(header, fields.get(header), required) for header, _k, required, _w in COLUMNS]


class _Lookups:
    """Units and leaders by name, read once for the whole file."""

    def __init__(self) -> None:
        self.units: dict[str, Unit] = {}
        for unit in Unit.objects.filter(is_active=True):
            self.units[unit.name] = unit
            if unit.short_name:
                self.units.setdefault(unit.short_name, unit)
        self.leaders: dict[str, list[User]] = {}
        for leader in User.objects.filter(role=Role.LEADER, is_active=True).filter(
            ~Q(full_name="")
        ):
            self.leaders.setdefault(leader.full_name, []).append(leader)


def parse_workbook(
    upload: UploadedFile | IO[bytes], *, progress: Callable[[int], None] | None = None
) -> ParseResult:
    """Read and validate every row. Nothing is written; errors name the row and column.
    ``progress`` hears how many rows were read now and then."""
    result = ParseResult()
    whole = _("(file)")
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_IMPORT_BYTES:
        result.errors.append(CellError(0, whole, _("The file is larger than 5 MB.")))
        return result
    if size == 0:
        result.errors.append(CellError(0, whole, _("The file is empty.")))
        return result
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        result.errors.append(CellError(0, whole, _("This is not an Excel .xlsx file.")))
        return result
    try:
        sheet = Sheet(upload, import_columns(), also=[h for h, _w in EXPORT_ONLY], strict=True)
    except SheetUnreadable:
        message = _("This is not an Excel .xlsx file, or it is damaged.")
        result.errors.append(CellError(0, whole, message))
        return result
    with sheet:
        if sheet.is_empty:
            sheet.errors.append(CellError(1, whole, _("The sheet is empty.")))
        elif not sheet.errors:
            _parse_rows(sheet, result, progress)
    result.errors = sheet.errors
    if not result.tasks and not result.errors:
        result.errors.append(CellError(2, whole, _("The sheet has headers but no tasks.")))
    return result


def _parse_rows(sheet: Sheet, result: ParseResult, progress: Callable[[int], None] | None) -> None:
    lookups = _Lookups()
    milestone_title = field_of(Milestone, "title")
    aspect_titles: dict[int, tuple[str, int]] = {}
    numbers: dict[int, int] = {}
    for row in sheet.rows(progress=progress):
        row_number = row.number
        aspect_number = row.integer("方面序号", low=1, high=MAX_NUMBER)
        aspect_title = row.text("方面", required=_("This cell is required."))
        if aspect_title and aspect_number is not None:
            first = aspect_titles.setdefault(aspect_number, (aspect_title, row_number))
            if first[0] != aspect_title:
                row.fail(
                    "方面",
                    _("Aspect %(n)s is called “%(title)s” in row %(row)s.")
                    % {"n": aspect_number, "title": first[0], "row": first[1]},
                )
        number = row.integer("序号", low=1, high=MAX_NUMBER)
        if number is not None:
            if number in numbers:
                row.fail(
                    "序号",
                    _("Number %(n)s is already used in row %(row)s.")
                    % {"n": number, "row": numbers[number]},
                )
            else:
                numbers[number] = row_number
        content = row.text("任务内容", required=_("This cell is required."))

        leader = None
        leader_name = as_text(row.raw("牵头领导"))
        if leader_name:
            matches = lookups.leaders.get(leader_name, [])
            if not matches:
                row.fail(
                    "牵头领导",
                    _("No committee leader is called “%(name)s”.") % {"name": leader_name},
                )
            elif len(matches) > 1:
                row.fail(
                    "牵头领导",
                    _("Several leaders are called “%(name)s”.") % {"name": leader_name},
                )
            else:
                leader = matches[0]

        lead_unit = None
        lead_name = as_text(row.raw("牵头单位"))
        if not lead_name:
            row.fail("牵头单位", _("Every task needs a lead unit."))
        else:
            lead_unit = lookups.units.get(lead_name)
            if lead_unit is None:
                row.fail("牵头单位", _("Unknown unit “%(name)s”.") % {"name": lead_name})

        cooperating: list[Unit] = []
        for name in re.split(r"[、,，;；\n]+", as_text(row.raw("配合单位"))):
            name = name.strip()
            if not name:
                continue
            unit = lookups.units.get(name)
            if unit is None:
                row.fail("配合单位", _("Unknown unit “%(name)s”.") % {"name": name})
            elif unit != lead_unit and unit not in cooperating:
                cooperating.append(unit)

        raw_deadline = row.raw("完成时限")
        deadline, long_term = None, False
        if as_text(raw_deadline) == LONG_TERM:
            long_term = True
        elif as_text(raw_deadline) == "":
            row.fail("完成时限", _("Give a date or “常态化” (long-term)."))
        else:
            deadline = row.date(
                "完成时限", message=_("Not a date: write it as 2025-12-31, or “常态化”.")
            )

        weight = row.integer("权重", optional=True)
        expected_result = row.text("预期成果")

        milestones: list[ParsedMilestone] = []
        for line in as_text(row.raw("节点")).splitlines():
            line = line.strip()
            if not line:
                continue
            day, _sep, title = line.partition(" ")
            due, title = as_date(day), title.strip()
            if due is None or not title:
                row.fail(
                    "节点",
                    _("Write each milestone as a date, a space and a title: “%(line)s”.")
                    % {"line": line},
                )
            elif message := too_long(title, milestone_title):
                row.fail("节点", message)
            else:
                milestones.append(ParsedMilestone(due, title))

        # A row without errors has its numbers and lead unit (each missing one is an error).
        if row.ok and aspect_number is not None and number is not None and lead_unit is not None:
            result.tasks.append(
                ParsedTask(
                    row=row_number,
                    aspect_number=aspect_number,
                    aspect_title=aspect_title,
                    number=number,
                    content=content,
                    expected_result=expected_result,
                    lead_leader=leader,
                    lead_unit=lead_unit,
                    cooperating_units=cooperating,
                    deadline=deadline,
                    is_long_term=long_term,
                    weight=weight or 1,
                    milestones=milestones,
                )
            )
