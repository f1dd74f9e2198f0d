"""The deputies registry: who sees what, phone numbers, import, the calendar feed."""

import io

import pytest
from django.urls import reverse
from openpyxl import Workbook

from deputies.models import Deputy, Level
from deputies.services import IMPORT_COLUMNS
from tests.factories import DeputyFactory, MandateFactory
from tests.liaison_stations.factories import ShiftFactory, StationFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "admin",
    "staff",
    "leader",
    "unit_contact",
    "secretary",
    "other_secretary",
    "county_secretary",
    "deputy",
    "outsider",
]


@pytest.fixture
def lu(world):
    deputy = DeputyFactory(
        name="陆友红", region=world.township, user=world.deputy, phone="13812345678"
    )
    MandateFactory(deputy=deputy, level=Level.TOWNSHIP)
    MandateFactory(deputy=deputy, level=Level.COUNTY, region=world.county)
    return deputy


LIST = {
    "admin": 200,
    "staff": 200,
    "leader": 200,
    "secretary": 200,
    "other_secretary": 200,
    "county_secretary": 200,
    "deputy": 302,
}
DETAIL = {
    "admin": 200,
    "staff": 200,
    "leader": 200,
    "secretary": 200,
    "county_secretary": 200,
    "deputy": 200,
    "other_secretary": 404,
}


@pytest.mark.parametrize("person", PEOPLE)
def test_list_and_detail_by_role(world, lu, as_user, person):
    client = as_user(world.people[person])
    assert client.get(reverse("deputies:index")).status_code == LIST.get(person, 403)
    assert client.get(reverse("deputies:detail", args=[lu.pk])).status_code == DETAIL.get(
        person, 403
    )


def test_anonymous_goes_to_login(db, client):
    assert client.get(reverse("deputies:index")).status_code == 302


def test_phone_is_masked_in_the_list(world, lu, as_user):
    body = as_user(world.staff).get(reverse("deputies:index")).content.decode()
    assert "138****5678" in body and "13812345678" not in body


@pytest.mark.parametrize(
    "person, allowed",
    [
        ("staff", True),
        ("secretary", True),
        ("county_secretary", True),
        ("leader", False),
        ("other_secretary", None),
    ],
)
@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
def test_full_phone_only_for_staff_and_the_responsible_secretary_and_each_view_recorded(
    world, lu, as_user, person, allowed, htmx
):
    before = lu.history.count()
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = as_user(world.people[person]).post(
        reverse("deputies:phone", args=[lu.pk]), **headers
    )
    if allowed:
        assert response.status_code == 200 and "13812345678" in response.content.decode()
        entry = lu.history.order_by("-history_date").first()
        assert lu.history.count() == before + 1
        assert entry.history_user == world.people[person] and entry.history_change_reason
    else:
        assert response.status_code == (404 if allowed is None else 403)
        assert lu.history.count() == before


def test_a_refused_reveal_says_why_on_the_record_page(world, lu, as_user):
    # A leader may open the record but not the full number: the deputies' error, shown
    # as a message on the record page (403), not a blank refusal.
    response = as_user(world.leader).post(reverse("deputies:phone", args=[lu.pk]))
    body = response.content.decode()
    assert response.status_code == 403
    assert "您无权查看此手机号码。" in body and "陆友红" in body and "13812345678" not in body


@pytest.mark.parametrize("person", ["admin", "unit_contact", "deputy", "outsider"])
def test_other_roles_may_not_reveal_a_phone(world, lu, as_user, person):
    response = as_user(world.people[person]).post(reverse("deputies:phone", args=[lu.pk]))
    # The administrator passes every role check (and sees the number); the rest are refused.
    assert response.status_code == (200 if person == "admin" else 403)
    assert ("13812345678" in response.content.decode()) == (person == "admin")


def test_anonymous_cannot_reveal_a_phone(world, lu, client):
    response = client.post(reverse("deputies:phone", args=[lu.pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert lu.history.count() == 1


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "no-js"])
def test_a_revealed_phone_never_travels_in_a_cookie(world, lu, as_user, htmx):
    client = as_user(world.secretary)
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.post(reverse("deputies:phone", args=[lu.pk]), **headers)
    assert response.status_code == 200
    body = response.content.decode()
    assert "13812345678" in body
    if not htmx:
        # Without JavaScript the record page comes back with the number in place.
        assert "<html" in body and "陆友红" in body and response.context["phone"] == "13812345678"
    set_cookie = "\n".join(morsel.output() for morsel in response.cookies.values())
    assert "13812345678" not in set_cookie and "12345678" not in set_cookie
    assert "messages" not in response.cookies
    assert "no-store" in response["Cache-Control"]
    # The next page the secretary opens shows the masked number again.
    again = client.get(reverse("deputies:detail", args=[lu.pk]))
    assert "13812345678" not in again.content.decode()
    assert "13812345678" not in "\n".join(m.output() for m in client.cookies.values())


def test_detail_page_never_prints_the_full_number(world, lu, as_user):
    assert (
        "13812345678"
        not in as_user(world.staff).get(reverse("deputies:detail", args=[lu.pk])).content.decode()
    )


def test_filters_by_level_region_and_station(world, lu, as_user):
    other = DeputyFactory(region=world.other_township)
    MandateFactory(deputy=other, level=Level.TOWNSHIP)
    station = StationFactory(region=world.township, code="hmy-01")
    station.deputies.add(lu)
    client = as_user(world.staff)
    assert [
        d.pk for d in client.get(reverse("deputies:index"), {"level": "county"}).context["page"]
    ] == [lu.pk]
    assert [
        d.pk
        for d in client.get(
            reverse("deputies:index"), {"region": world.other_township.code}
        ).context["page"]
    ] == [other.pk]
    assert [
        d.pk for d in client.get(reverse("deputies:index"), {"station": "hmy-01"}).context["page"]
    ] == [lu.pk]
    assert client.get(reverse("deputies:index"), {"level": "galactic"}).status_code == 400


@pytest.mark.parametrize("size", [3, 30])
def test_list_query_budget(world, as_user, django_assert_max_num_queries, size):
    for _i in range(size):
        MandateFactory(deputy=DeputyFactory(region=world.township))
    client = as_user(world.staff)
    with django_assert_max_num_queries(10):
        assert len(client.get(reverse("deputies:index")).context["page"]) == size


def workbook(rows) -> io.BytesIO:
    book = Workbook()
    sheet = book.active
    sheet.append([label for _k, label in IMPORT_COLUMNS])
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    out.name = "deputies.xlsx"
    return out


def row(name="陈春花", gender="女", region="431224102", level="乡镇", phone="13807451234"):
    return [
        name,
        gender,
        "苗族",
        1978,
        "中共党员",
        "村党支部书记",
        "金中村",
        phone,
        region,
        level,
        "黄茅园镇第七届人民代表大会",
        "金中村选区",
        "",
    ]


def test_import_all_rows(world, as_user):
    response = as_user(world.staff).post(
        reverse("deputies:import"), {"file": workbook([row(), row(name="舒国庆", gender="男")])}
    )
    assert response.status_code == 302
    assert set(Deputy.objects.values_list("name", flat=True)) == {"陈春花", "舒国庆"}
    assert Deputy.objects.get(name="陈春花").mandates.get().level == Level.TOWNSHIP


def test_import_is_all_or_nothing_with_row_errors(world, as_user):
    response = as_user(world.staff).post(
        reverse("deputies:import"),
        {
            "file": workbook(
                [
                    row(),
                    row(name="舒国庆", gender="?"),
                    row(name="向明德", region="000"),
                    row(name="杨光荣", phone="abc"),
                ]
            )
        },
    )
    assert response.status_code == 400
    assert [(e.row, e.column) for e in response.context["errors"]] == [
        (3, "性别"),
        (4, "地区代码"),
        (5, "手机"),
    ]
    assert not Deputy.objects.exists()


def test_importing_the_same_people_twice_registers_nobody_twice(world, as_user):
    client = as_user(world.staff)
    first = client.post(reverse("deputies:import"), {"file": workbook([row(), row(name="舒国庆")])})
    assert first.status_code == 302
    again = client.post(
        reverse("deputies:import"), {"file": workbook([row(name="向明德"), row(name="舒国庆")])}
    )
    assert again.status_code == 400
    assert [(e.row, e.column, e.message) for e in again.context["errors"]] == [
        (3, "姓名", "该代表已在代表名册中。")
    ]
    assert sorted(Deputy.objects.values_list("name", flat=True)) == ["舒国庆", "陈春花"]


def test_the_same_person_twice_in_one_file_is_named_by_row(world, as_user):
    response = as_user(world.staff).post(
        reverse("deputies:import"), {"file": workbook([row(), row(name="舒国庆"), row()])}
    )
    assert response.status_code == 400
    assert [(e.row, e.message) for e in response.context["errors"]] == [
        (4, "与第2行是同一位代表。")
    ]
    assert not Deputy.objects.exists()


def test_an_import_is_saved_in_a_few_statements_with_its_history(
    world, as_user, django_assert_max_num_queries
):
    from deputies.models import Mandate

    names = [f"代表{i:03d}" for i in range(120)]
    book = workbook([row(name=name) for name in names])
    with django_assert_max_num_queries(40):
        response = as_user(world.staff).post(reverse("deputies:import"), {"file": book})
    assert response.status_code == 302
    assert Deputy.objects.count() == Mandate.objects.count() == 120
    assert Deputy.history.filter(history_type="+", history_user=world.staff).count() == 120
    assert Mandate.history.filter(history_type="+").count() == 120


def test_a_workbook_over_5_mb_is_refused(world, as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    big = SimpleUploadedFile("deputies.xlsx", b"0" * (5 * 2**20 + 1))
    response = as_user(world.staff).post(reverse("deputies:import"), {"file": big})
    assert response.status_code == 400
    assert "大于 5 MB" in response.content.decode() or "5 MB" in response.content.decode()
    assert not Deputy.objects.exists()


def test_the_history_never_holds_a_phone_number(world, as_user, lu):
    from deputies.services import deputy_phone_reveal, deputy_update

    deputy_phone_reveal(deputy=lu, user=world.staff)
    deputy_update(deputy=lu, version=lu.version, by=world.staff, phone="13900001111")
    rows = list(lu.history.values())
    assert len(rows) >= 2
    assert not any(
        number in str(value)
        for row in rows
        for value in row.values()
        for number in ("13900001111", "13812345678")
    )
    assert lu.history.filter(history_change_reason__contains="电话").count() >= 1


def test_import_is_for_the_office_only(world, as_user):
    assert as_user(world.secretary).get(reverse("deputies:import")).status_code == 403


def test_calendar_feed_lists_the_deputys_shifts(world, lu, client):
    station = StationFactory(
        region=world.township, name="黄茅园镇人大代表联络站", address="黄茅园镇人民政府院内"
    )
    shift = ShiftFactory(station=station)
    shift.deputies.add(lu)
    response = client.get(reverse("deputies:calendar", args=[lu.calendar_token]))
    body = response.content.decode()
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"DTSTART;VALUE=DATE:{shift.date:%Y%m%d}" in body
    assert "黄茅园镇人大代表联络站" in body.replace("\r\n ", "")
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert client.get(reverse("deputies:calendar", args=["wrong"])).status_code == 404


def test_the_feed_escapes_a_textarea_s_line_ends_and_folds_chinese_whole(world, lu, client):
    """Text typed in a textarea arrives with CRLF (or a bare CR): in the feed it is an
    escaped newline, never a raw line end that would break the calendar. Long Chinese
    lines fold at 75 octets without cutting a character."""
    station = StationFactory(
        region=world.township,
        name="黄茅园镇人大代表联络站" * 3,
        address="黄茅园镇人民政府院内",
        opening_hours="上午9:00\r\n下午2:00\r",
    )
    ShiftFactory(station=station).deputies.add(lu)
    body = client.get(reverse("deputies:calendar", args=[lu.calendar_token])).content
    assert b"\r" not in body.replace(b"\r\n", b"")  # no bare CR anywhere
    lines = body.decode().split("\r\n")
    assert all(len(line.encode()) <= 75 for line in lines)
    unfolded = body.decode().replace("\r\n ", "")
    assert "DESCRIPTION:上午9:00\\n下午2:00" in unfolded
    assert "黄茅园镇人大代表联络站" * 3 in unfolded


def test_deputy_sees_own_record_and_upcoming_shifts(world, lu, as_user):
    station = StationFactory(region=world.township)
    ShiftFactory(station=station).deputies.add(lu)
    response = as_user(world.deputy).get(reverse("deputies:me"))
    assert response.status_code == 200
    assert response.context["deputy"] == lu and len(response.context["upcoming"]) == 1
    assert lu.calendar_token in response.context["calendar_url"]


def test_leaders_read_the_registry_but_do_not_import(world, as_user):
    client = as_user(world.leader)
    assert "导入" not in client.get(reverse("deputies:index")).content.decode()
    assert client.get(reverse("deputies:import")).status_code == 403
    assert client.get(reverse("deputies:import_template")).status_code == 403
    assert "导入" in as_user(world.staff).get(reverse("deputies:index")).content.decode()
