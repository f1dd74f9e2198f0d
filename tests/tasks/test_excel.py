"""Excel: the template, import with preview (all or nothing), bad input, the round trip."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from tasks.excel import HEADERS, parse_workbook
from tasks.models import Aspect, Milestone, Task, TaskList
from tests.tasks.factories import xlsx

pytestmark = pytest.mark.django_db

IMPORT = reverse("tasks:import")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def row(number=1, aspect=1, lead="代表工委", coop="", deadline="2025-12-31", **overrides):
    values = {
        "方面序号": aspect,
        "方面": f"方面{aspect}",
        "序号": number,
        "任务内容": f"任务{number}：开展代表履职培训",
        "预期成果": "完成培训",
        "牵头领导": "",
        "牵头单位": lead,
        "配合单位": coop,
        "完成时限": deadline,
        "权重": 1,
        "节点": "",
    } | overrides
    return [values[h] for h in HEADERS]


def upload(content: bytes, name="清单.xlsx"):
    return SimpleUploadedFile(name, content, content_type=XLSX_TYPE)


def post_import(client, content: bytes, name="清单.xlsx", **meta):
    data = {
        "title": "2025年任务清单",
        "year": 2025,
        "kind": "committee",
        "issuer": "市人大常委会党组",
    }
    return client.post(IMPORT, {**data, **meta, "file": upload(content, name)})


def errors_of(content: bytes, name="清单.xlsx") -> list[str]:
    return [str(e) for e in parse_workbook(upload(content, name)).errors]


def test_preview_then_confirm_saves_the_list(world, as_user):
    client = as_user(world.staff)
    content = xlsx(
        [
            row(
                1,
                coop="市司法局",
                牵头领导="舒国平",
                节点="2025-06-30 完成调研\n2025-09-30 形成报告",
            ),
            row(2, deadline="常态化", 权重=3),
            row(3, aspect=2, deadline=datetime.datetime(2025, 10, 31)),
        ]
    )
    response = post_import(client, content)
    assert response.status_code == 200
    assert "任务1：开展代表履职培训" in response.content.decode()
    assert not TaskList.objects.exists()  # a preview saves nothing
    token = response.context["confirm"].initial["token"]
    response = client.post(
        reverse("tasks:import_confirm"),
        {
            "title": "2025年任务清单",
            "year": 2025,
            "kind": "committee",
            "issuer": "",
            "token": token,
        },
    )
    assert response.status_code == 302
    task_list = TaskList.objects.get()
    assert task_list.aspects.count() == 2
    first, second, third = task_list.tasks.order_by("number")
    assert first.lead_unit == world.unit and list(first.cooperating_units.all()) == [
        world.other_unit
    ]
    assert first.lead_leader == world.leader
    assert [m.title for m in first.milestones.all()] == ["完成调研", "形成报告"]
    assert second.is_long_term and second.deadline is None and second.weight == 3
    assert third.deadline == datetime.date(2025, 10, 31) and third.aspect.number == 2


def test_the_template_downloads_with_the_headers(world, as_user):
    response = as_user(world.staff).get(reverse("tasks:template"))
    assert response["Content-Type"] == XLSX_TYPE
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [c.value for c in sheet[1]][: len(HEADERS)] == HEADERS


def test_wrong_columns(world):
    content = xlsx([["1", "x"]], headers=["方面序号", "方面", "任务", "负责单位"])
    errors = errors_of(content)
    assert any("“任务”列" in e and "未知的列" in e for e in errors)
    assert any("“任务内容”列" in e and "缺少" in e for e in errors)
    assert any("“牵头单位”列" in e for e in errors)


def test_missing_lead_unit_unknown_unit_and_duplicate_numbers_name_row_and_column(world, as_user):
    content = xlsx(
        [
            row(1),
            row(2, lead=""),
            row(3, coop="市不存在局"),
            row(1),
            row(4, lead="某某委员会"),
            row(5, deadline="明年"),
        ]
    )
    errors = errors_of(content)
    assert "第 3 行“牵头单位”列：每项任务都须有牵头单位。" in errors
    assert "第 4 行“配合单位”列：未知单位“市不存在局”。" in errors
    assert "第 5 行“序号”列：序号 1 已在第 2 行使用。" in errors
    assert "第 6 行“牵头单位”列：未知单位“某某委员会”。" in errors
    assert any(e.startswith("第 7 行“完成时限”列") for e in errors)
    response = post_import(as_user(world.staff), content)
    assert response.status_code == 400
    assert "市不存在局" in response.content.decode()
    assert not Task.objects.exists() and not TaskList.objects.exists()  # nothing saved


def test_an_aspect_needs_one_title(world):
    errors = errors_of(xlsx([row(1), row(2, 方面="另一个方面")]))
    assert errors == ["第 3 行“方面”列：方面 1 在第 2 行的名称为“方面1”，须保持一致。"]


def test_empty_file_not_xlsx_and_headers_only(world, as_user):
    assert errors_of(b"") == ["文件是空的。"]
    assert errors_of(b"name,unit\n1,2\n", "清单.xlsx") == ["这不是 Excel .xlsx 文件。"]
    assert errors_of(b"PK\x03\x04 broken zip") == ["这不是 Excel .xlsx 文件。"]
    assert errors_of(xlsx([])) == ["第 2 行“（文件）”列：工作表只有表头，没有任务。"]
    response = post_import(as_user(world.staff), b"")
    assert response.status_code == 400 and not TaskList.objects.exists()


def test_a_20_mb_file_is_refused(world, as_user):
    big = b"PK\x03\x04" + b"\0" * (20 * 1024 * 1024)
    response = post_import(as_user(world.staff), big)
    assert response.status_code == 400
    assert response.context["form"].errors["file"]
    assert not TaskList.objects.exists()


def test_confirm_parses_the_file_again_and_rejects_a_bad_token(world, as_user):
    client = as_user(world.staff)
    response = client.post(
        reverse("tasks:import_confirm"),
        {"title": "清单", "year": 2025, "kind": "committee", "token": "../../etc/passwd"},
    )
    assert response.status_code == 400
    response = client.post(
        reverse("tasks:import_confirm"),
        {"title": "清单", "year": 2025, "kind": "committee", "token": "0" * 32},
    )
    assert response.status_code == 302 and not TaskList.objects.exists()


def test_round_trip_export_then_import_keeps_everything(world, as_user):
    client = as_user(world.staff)
    original = xlsx(
        [
            row(1, coop="市司法局", 牵头领导="舒国平", 节点="2025-06-30 完成调研"),
            row(2, deadline="常态化", 权重=5, 预期成果="形成制度\n报市委"),
            row(7, aspect=3, 方面="夯实基层人大工作基础"),
        ]
    )
    token = post_import(client, original).context["confirm"].initial["token"]
    client.post(
        reverse("tasks:import_confirm"),
        {"title": "原清单", "year": 2025, "kind": "committee", "token": token},
    )
    source = TaskList.objects.get(title="原清单")
    exported = client.get(reverse("tasks:export"), {"list": source.pk}).content
    token = post_import(client, exported).context["confirm"].initial["token"]
    client.post(
        reverse("tasks:import_confirm"),
        {"title": "导回清单", "year": 2025, "kind": "committee", "token": token},
    )
    copy = TaskList.objects.get(title="导回清单")

    def snapshot(task_list):
        return [
            (
                t.aspect.number,
                t.aspect.title,
                t.number,
                t.content,
                t.expected_result,
                t.lead_leader_id,
                t.lead_unit_id,
                sorted(u.pk for u in t.cooperating_units.all()),
                t.deadline,
                t.is_long_term,
                t.weight,
                [(m.due_date, m.title) for m in t.milestones.all()],
            )
            for t in task_list.tasks.order_by("number")
        ]

    assert snapshot(copy) == snapshot(source)
    assert len(snapshot(copy)) == 3 and Milestone.objects.count() == 2


# --- History: imported tasks start their history at the import, by the importer -----------


def test_imported_tasks_history_starts_at_the_import_by_the_importer(world, as_user):
    client = as_user(world.staff)
    response = post_import(client, xlsx([row(1), row(2, 节点="2025-06-30 制定方案")]))
    token = response.context["confirm"].initial["token"]
    client.post(
        reverse("tasks:import_confirm"),
        {"title": "导入清单", "year": 2025, "kind": "committee", "token": token},
    )
    tasks = Task.objects.filter(task_list__title="导入清单")
    assert tasks.count() == 2
    for task in tasks:
        created = task.history.get()
        assert (created.history_type, created.history_user) == ("+", world.staff)
    assert Aspect.history.filter(history_user=world.staff, history_type="+").count() == 1
    assert Milestone.history.get().history_user == world.staff
    page = client.get(reverse("tasks:task", args=[tasks[0].pk]))
    assert world.staff.full_name in page.content.decode()


@pytest.mark.parametrize("value", ["²", "40000", "0", "-3", "1.5"])
def test_a_number_that_is_no_task_number_is_named_by_row_and_column(world, as_user, value):
    """A "²" is a digit to Python's isdigit() and a number above 32,767 overflows the column:
    both are refused at the preview, by row and column, and nothing reaches the database."""
    response = post_import(as_user(world.staff), xlsx([row(number=value)]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "序号" in body and "请填写 1 到 9999 之间的整数。" in body
    assert not TaskList.objects.exists()


def test_task_list_filter_with_a_malformed_list_id_is_a_page_not_a_500(world, as_user):
    client = as_user(world.staff)
    for value in ("abc", "1.5", " ", "99999999999999999999", "-1"):
        response = client.get(reverse("tasks:index"), {"list": value})
        assert response.status_code in (200, 400), value
