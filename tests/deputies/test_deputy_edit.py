"""The deputy edit page: who may edit which record, the fields saved and checked, the
photo, two people editing one record, and the mandates added, ended and removed."""

import datetime as dt
import io
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from deputies.models import Deputy, Level, Mandate, ProfessionalGroup
from deputies.services import DeputyError, deputy_update, mandate_add, mandate_end
from liaison_stations.selectors import home_station_of
from tests.factories import DeputyFactory, MandateFactory
from tests.liaison_stations.factories import StationFactory

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
MAY_EDIT = {"admin", "staff", "secretary", "county_secretary"}


@pytest.fixture
def lu(world):
    """陆友红 of 黄茅园镇, a township and a county deputy, at the township's station."""
    station = StationFactory(region=world.township, code="hmy-01", name="黄茅园镇人大代表联络站")
    deputy = DeputyFactory(
        name="陆友红",
        region=world.township,
        user=world.deputy,
        phone="13812345678",
        ethnicity="苗族",
        home_station=station,
    )
    station.deputies.add(deputy)
    MandateFactory(deputy=deputy, level=Level.TOWNSHIP, district="金中村选区")
    MandateFactory(
        deputy=deputy,
        level=Level.COUNTY,
        region=world.county,
        congress="溆浦县第十八届人民代表大会",
    )
    return deputy


@pytest.fixture
def lufeng(world):
    return DeputyFactory(name="向明", region=world.other_township)


def form_data(deputy: Deputy, **changes) -> dict:
    deputy.refresh_from_db()
    data = {
        "name": deputy.name,
        "gender": deputy.gender,
        "ethnicity": deputy.ethnicity,
        "birth_year": deputy.birth_year or "",
        "party": deputy.party,
        "occupation": deputy.occupation,
        "work_unit": deputy.work_unit,
        "phone": deputy.phone,
        "groups": [g.pk for g in deputy.groups.all()],
        "home_station": getattr(home_station_of(deputy), "pk", ""),
        "is_active": "on" if deputy.is_active else "",
        "version": deputy.version,
    }
    data.update(changes)
    return data


def url(deputy: Deputy, name: str = "edit", *args) -> str:
    return reverse(f"deputies:{name}", args=[deputy.pk, *args])


def image(fmt: str = "JPEG", size=(60, 80)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, fmt)
    return out.getvalue()


# --- Who may edit ------------------------------------------------------------------------


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_open_the_edit_page(world, lu, as_user, person):
    response = as_user(world.people[person]).get(url(lu))
    if person in MAY_EDIT:
        expected = 200
    elif person == "other_secretary":
        expected = 404  # another township's deputy: not even its existence
    else:
        expected = 403  # leaders read; units, deputies and others do not keep the registry
    assert response.status_code == expected


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_save(world, lu, as_user, person):
    response = as_user(world.people[person]).post(url(lu), form_data(lu, occupation="村医"))
    lu.refresh_from_db()
    if person in MAY_EDIT:
        assert response.status_code == 302
        assert response["Location"] == reverse("deputies:detail", args=[lu.pk])
        assert lu.occupation == "村医" and lu.version == 2
    else:
        assert response.status_code == (404 if person == "other_secretary" else 403)
        assert lu.occupation == "" and lu.version == 1


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_add_a_mandate(world, lu, as_user, person):
    response = as_user(world.people[person]).post(
        url(lu, "mandate_add"),
        {
            "mandate-level": Level.CITY,
            "mandate-congress": "怀化市第六届人民代表大会",
            "mandate-region": world.city.code,
        },
    )
    added = lu.mandates.filter(level=Level.CITY).exists()
    if person in ("admin", "staff"):
        assert response.status_code == 302 and added
    elif person in ("secretary", "county_secretary"):
        # May edit the deputy, but the city is beyond their region: the field says so.
        assert response.status_code == 400 and not added
        assert "region" in response.context["mandate_form"].errors
    else:
        assert response.status_code == (404 if person == "other_secretary" else 403)
        assert not added


def test_anonymous_goes_to_login(world, lu, client):
    for response in (client.get(url(lu)), client.post(url(lu), form_data(lu, name="改掉"))):
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    lu.refresh_from_db()
    assert lu.name == "陆友红"


def test_huangmaoyuan_secretary_cannot_edit_a_lufeng_deputy(world, lu, lufeng, as_user):
    client = as_user(world.secretary)
    assert client.get(url(lufeng)).status_code == 404
    assert client.post(url(lufeng), form_data(lufeng, name="改掉")).status_code == 404
    mandate = MandateFactory(deputy=lufeng, level=Level.TOWNSHIP)
    assert client.post(url(lufeng, "mandate_remove", mandate.pk)).status_code == 404
    lufeng.refresh_from_db()
    assert lufeng.name == "向明" and lufeng.version == 1
    assert Mandate.objects.filter(pk=mandate.pk).exists()


def test_the_county_secretary_edits_a_township_deputy_of_the_county(world, lufeng, as_user):
    response = as_user(world.county_secretary).post(url(lufeng), form_data(lufeng, party="群众"))
    assert response.status_code == 302
    lufeng.refresh_from_db()
    assert lufeng.party == "群众"


def test_the_deputy_page_links_to_the_edit_page_for_editors_only(world, lu, as_user):
    link = f'href="{url(lu)}"'
    assert link in as_user(world.secretary).get(url(lu, "detail")).content.decode()
    assert link not in as_user(world.leader).get(url(lu, "detail")).content.decode()
    assert link not in as_user(world.deputy).get(reverse("deputies:me")).content.decode()


# --- What is saved -----------------------------------------------------------------------


def test_the_secretary_saves_every_field_and_the_history_shows_it(world, lu, as_user):
    law = ProfessionalGroup.objects.create(name="法制专业小组")
    farming = ProfessionalGroup.objects.create(name="农业农村专业小组")
    other_station = StationFactory(region=world.township, name="金中村代表联络点")
    response = as_user(world.secretary).post(
        url(lu),
        form_data(
            lu,
            name=" 陆友红 ",
            gender="m",
            ethnicity="汉族",
            birth_year=1975,
            party="中共党员",
            occupation="种植大户",
            work_unit="黄茅园镇金中村",
            phone="13987654321",
            groups=[law.pk, farming.pk],
            home_station=other_station.pk,
            is_active="",
        ),
    )
    assert response.status_code == 302
    lu.refresh_from_db()
    assert (lu.name, lu.gender, lu.ethnicity, lu.birth_year) == ("陆友红", "m", "汉族", 1975)
    assert (lu.party, lu.occupation, lu.work_unit) == ("中共党员", "种植大户", "黄茅园镇金中村")
    assert lu.phone == "13987654321" and home_station_of(lu) == other_station
    assert set(lu.groups.all()) == {law, farming} and not lu.is_active and lu.version == 2
    entry = lu.history.order_by("-history_id").first()
    assert entry.history_user == world.secretary and entry.occupation == "种植大户"
    assert "法制专业小组" in entry.history_change_reason
    # The change shows on the deputy page, with who made it and which fields changed.
    body = as_user(world.staff).get(url(lu, "detail")).content.decode()
    history = body[body.index('id="history-title"') :]
    assert "侯志刚" in history and "法制专业小组" in history
    assert "<ins>种植大户</ins>" in history and "职业" in history


def test_only_stations_the_editor_sees_are_offered(world, lu, as_user):
    elsewhere = StationFactory(region=world.other_township, name="卢峰镇人大代表联络站")
    form = as_user(world.secretary).get(url(lu)).context["form"]
    assert home_station_of(lu) in form.fields["home_station"].queryset
    assert elsewhere not in form.fields["home_station"].queryset
    response = as_user(world.secretary).post(url(lu), form_data(lu, home_station=elsewhere.pk))
    assert response.status_code == 400 and "home_station" in response.context["form"].errors
    lu.refresh_from_db()
    assert home_station_of(lu).code == "hmy-01"


@pytest.mark.parametrize(
    "field, value",
    [
        ("phone", "138-abcd-5678"),
        ("phone", "12"),
        ("birth_year", "1850"),
        ("birth_year", str(dt.date.today().year)),
        ("name", ""),
        ("gender", "x"),
    ],
)
def test_bad_input_is_shown_next_to_the_field(world, lu, as_user, field, value):
    response = as_user(world.secretary).post(url(lu), form_data(lu, **{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    body = response.content.decode()
    assert 'class="field field--error"' in body and 'class="field__error"' in body
    lu.refresh_from_db()
    assert lu.version == 1 and lu.name == "陆友红" and lu.phone == "13812345678"


# --- The photo ---------------------------------------------------------------------------


def test_a_photo_is_stored_and_served_through_the_photo_view(world, lu, as_user):
    photo = SimpleUploadedFile("lu.png", image("PNG"), content_type="image/png")
    response = as_user(world.secretary).post(url(lu), {**form_data(lu), "photo": photo})
    assert response.status_code == 302
    lu.refresh_from_db()
    assert lu.photo.name.startswith("deputies/photos/")
    body = as_user(world.secretary).get(url(lu, "detail")).content.decode()
    photo_url = reverse("public_stations:deputy_photo", args=[lu.pk])
    assert f'src="{photo_url}"' in body and "/media/" not in body
    served = as_user(world.secretary).get(photo_url)
    assert served.status_code == 200 and b"".join(served.streaming_content) == image("PNG")
    # Saving again without a file keeps the photo; ticking "clear" removes it.
    assert as_user(world.secretary).post(url(lu), form_data(lu)).status_code == 302
    lu.refresh_from_db()
    assert lu.photo
    response = as_user(world.secretary).post(url(lu), {**form_data(lu), "photo-clear": "on"})
    assert response.status_code == 302
    lu.refresh_from_db()
    assert not lu.photo


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("lu.jpg", b"not an image at all", "image/jpeg"),
        ("lu.gif", None, "image/gif"),  # a real image, but not a kind we keep
        ("big.png", "big", "image/png"),
    ],
)
def test_a_bad_photo_is_refused_next_to_the_field(world, lu, as_user, name, content, content_type):
    if content is None:
        content = image("GIF")
    elif content == "big":
        # A real PNG over 5 MB: random pixels do not compress.
        import os

        out = io.BytesIO()
        Image.frombytes("RGB", (1400, 1400), os.urandom(1400 * 1400 * 3)).save(out, "PNG")
        content = out.getvalue()
        assert len(content) > 5 * 1024 * 1024
    photo = SimpleUploadedFile(name, content, content_type=content_type)
    response = as_user(world.secretary).post(url(lu), {**form_data(lu), "photo": photo})
    assert response.status_code == 400
    assert "photo" in response.context["form"].errors
    lu.refresh_from_db()
    assert not lu.photo and lu.version == 1


# --- Two editors -------------------------------------------------------------------------


def test_the_second_of_two_editors_is_told_and_overwrites_nothing(world, lu, as_user):
    first, second = as_user(world.secretary), as_user(world.county_secretary)
    seen = [c.get(url(lu)).context["form"].initial["version"] for c in (first, second)]
    assert seen == [1, 1]
    assert first.post(url(lu), form_data(lu, occupation="村医")).status_code == 302
    response = second.post(
        url(lu), form_data(lu, occupation="教师", phone="13900000000", version=1)
    )
    # 409 Conflict, as for a task: nothing was wrong with the input, the record moved on.
    assert response.status_code == 409
    body = response.content.decode()
    # The message stands at the top of the form, where the editor is looking.
    form_at = body.index('class="card deputy-edit"')
    message_at = body.index('<p class="form-error" role="alert">您编辑期间他人已修改此记录')
    assert form_at < message_at < body.index('name="name"')
    lu.refresh_from_db()
    assert lu.occupation == "村医" and lu.phone == "13812345678" and lu.version == 2
    # Having reloaded, the second editor saves on top of the first.
    fresh = second.get(url(lu)).context["form"].initial["version"]
    assert second.post(url(lu), form_data(lu, occupation="教师", version=fresh)).status_code == 302
    lu.refresh_from_db()
    assert lu.occupation == "教师" and lu.version == 3


def test_deputy_update_refuses_a_stale_version(world, lu):
    deputy_update(deputy=lu, version=1, by=world.staff, party="甲")
    with pytest.raises(DeputyError):
        deputy_update(deputy=Deputy.objects.get(pk=lu.pk), version=1, by=None, party="乙")
    lu.refresh_from_db()
    assert lu.party == "甲" and lu.history.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_saving_at_the_same_moment(world):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (run it through scripts/test.sh)")
    deputy = DeputyFactory(name="陆友红", region=world.township)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def edit(party):
        try:
            barrier.wait()
            deputy_update(deputy=Deputy.objects.get(pk=deputy.pk), version=1, by=None, party=party)
            results.append("ok")
        except DeputyError:
            results.append("stale")
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(p,)) for p in ("甲", "乙")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "stale"]
    deputy.refresh_from_db()
    assert deputy.version == 2 and deputy.party in ("甲", "乙")
    assert deputy.history.count() == 2  # created, then the one save that won


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_editors_adding_a_seat_of_one_level_at_the_same_moment(world):
    if connection.vendor != "postgresql":
        pytest.fail("this test needs PostgreSQL (run it through scripts/test.sh)")
    deputy = DeputyFactory(name="陆友红", region=world.township)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def add(congress):
        try:
            barrier.wait()
            mandate_add(
                deputy=deputy, level=Level.TOWNSHIP, congress=congress, region=world.township
            )
            results.append("ok")
        except DeputyError:
            results.append("taken")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(c,)) for c in ("第七届", "第八届")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["ok", "taken"]
    assert deputy.mandates.count() == 1


# --- Mandates ----------------------------------------------------------------------------


def test_the_edit_page_lists_the_mandates(world, lu, as_user):
    body = as_user(world.secretary).get(url(lu)).content.decode()
    assert "金中村选区" in body and "溆浦县第十八届人民代表大会" in body
    township, county = lu.mandates.get(level=Level.TOWNSHIP), lu.mandates.get(level=Level.COUNTY)
    # The township secretary changes the township seat, not the county's.
    assert url(lu, "mandate_end", township.pk) in body
    assert url(lu, "mandate_end", county.pk) not in body
    body = as_user(world.county_secretary).get(url(lu)).content.decode()
    assert url(lu, "mandate_end", county.pk) in body


def test_the_secretary_adds_a_township_seat_after_ending_the_old_one(world, lu, as_user):
    client = as_user(world.secretary)
    old = lu.mandates.get(level=Level.TOWNSHIP)
    new_seat = {
        "mandate-level": Level.TOWNSHIP,
        "mandate-congress": "黄茅园镇第八届人民代表大会",
        "mandate-term_start": 2026,
        "mandate-term_end": 2031,
        "mandate-district": "金中村选区",
        "mandate-region": world.township.code,
    }
    # Still holding a township seat: refused, at the top of the mandate form.
    response = client.post(url(lu, "mandate_add"), new_seat)
    assert response.status_code == 400
    assert response.context["mandate_form"].non_field_errors()
    assert "已有一个乡镇级代表职务" in response.content.decode()
    today = timezone.localdate()
    response = client.post(
        url(lu, "mandate_end", old.pk), {f"end-{old.pk}-ended_on": today.isoformat()}
    )
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.ended_on == today
    assert client.post(url(lu, "mandate_add"), new_seat).status_code == 302
    assert lu.mandates.active().filter(level=Level.TOWNSHIP).get().congress == (
        "黄茅园镇第八届人民代表大会"
    )
    # Both changes are in the deputy's history, shown on the deputy page.
    reasons = list(lu.history.values_list("history_change_reason", flat=True))
    assert any(r and "黄茅园镇第八届人民代表大会" in r for r in reasons)
    assert any(r and today.isoformat() in r for r in reasons)
    body = client.get(url(lu, "detail")).content.decode()
    history = body[body.index('id="history-title"') :]
    assert "黄茅园镇第八届人民代表大会" in history
    # The seat that ended stays on the record page, marked.
    assert "黄茅园镇第七届人民代表大会" in body and "结束于" in body
    # Ending doesn't bump the record's version: an open edit form still saves.
    lu.refresh_from_db()
    assert lu.version == 1


@pytest.mark.parametrize(
    "level, region, field",
    [
        (Level.COUNTY, "township", "region"),  # a county seat sits with a county
        (Level.TOWNSHIP, "county", "region"),
        (Level.NATIONAL, "township", "region"),
        (Level.TOWNSHIP, "other_township", "region"),  # beyond the secretary's region
        ("mayor", "township", "level"),
    ],
)
def test_a_mandate_whose_region_does_not_fit_is_refused(
    world, lufeng, as_user, level, region, field
):
    lufeng.mandates.all().delete()
    response = as_user(
        world.county_secretary if region != "other_township" else world.secretary
    ).post(
        url(
            lufeng if region != "other_township" else DeputyFactory(region=world.township),
            "mandate_add",
        ),
        {
            "mandate-level": level,
            "mandate-congress": "溆浦县第十八届人民代表大会",
            "mandate-region": getattr(world, region).code,
        },
    )
    assert response.status_code == 400
    assert field in response.context["mandate_form"].errors
    assert not Mandate.objects.filter(congress="溆浦县第十八届人民代表大会").exists()


def test_a_term_that_ends_before_it_starts_is_refused(world, lufeng, as_user):
    response = as_user(world.county_secretary).post(
        url(lufeng, "mandate_add"),
        {
            "mandate-level": Level.COUNTY,
            "mandate-congress": "溆浦县第十八届人民代表大会",
            "mandate-term_start": 2021,
            "mandate-term_end": 2016,
            "mandate-region": world.county.code,
        },
    )
    assert response.status_code == 400 and "term_end" in response.context["mandate_form"].errors
    assert not lufeng.mandates.exists()


def test_a_seat_cannot_end_in_the_future_or_twice(world, lu, as_user):
    client = as_user(world.secretary)
    seat = lu.mandates.get(level=Level.TOWNSHIP)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        url(lu, "mandate_end", seat.pk), {f"end-{seat.pk}-ended_on": tomorrow.isoformat()}
    )
    assert response.status_code == 400
    (row,) = [r for r in response.context["mandates"] if r["mandate"] == seat]
    assert "ended_on" in row["end_form"].errors
    body = response.content.decode()
    assert body.index(f'id="mandate-{seat.pk}"') < body.index("不能晚于今天")
    seat.refresh_from_db()
    assert seat.ended_on is None
    mandate_end(mandate=seat, ended_on=dt.date(2025, 1, 1), by=world.staff)
    with pytest.raises(DeputyError):
        mandate_end(mandate=seat, ended_on=dt.date(2025, 2, 1), by=world.staff)
    seat.refresh_from_db()
    assert seat.ended_on == dt.date(2025, 1, 1)


def test_removing_a_seat_entered_by_mistake(world, lu, as_user):
    seat = lu.mandates.get(level=Level.TOWNSHIP)
    county = lu.mandates.get(level=Level.COUNTY)
    client = as_user(world.secretary)
    # Not the county seat: that is the county's to change.
    assert client.post(url(lu, "mandate_remove", county.pk)).status_code == 404
    assert client.get(url(lu, "mandate_remove", seat.pk)).status_code == 405
    assert client.post(url(lu, "mandate_remove", seat.pk)).status_code == 302
    assert list(lu.mandates.all()) == [county]
    # The deleted row stays in the mandate's own history, and the deputy's says so.
    assert seat.history.filter(history_type="-").get().history_user == world.secretary
    entry = lu.history.order_by("-history_id").first()
    assert entry.history_user == world.secretary and "黄茅园镇第七届" in entry.history_change_reason


def test_the_list_filters_by_seats_held(world, lu, as_user):
    mandate_end(mandate=lu.mandates.get(level=Level.COUNTY), ended_on=dt.date(2025, 1, 1), by=None)
    client = as_user(world.staff)
    assert lu not in client.get(reverse("deputies:index"), {"level": "county"}).context["page"]
    assert lu in client.get(reverse("deputies:index"), {"level": "township"}).context["page"]


def test_a_seat_ended_meanwhile_by_someone_else_is_a_conflict_beside_the_date(world, lu, as_user):
    """Two secretaries end the same seat from pages opened before either saved."""
    seat = lu.mandates.get(level=Level.TOWNSHIP)
    today = timezone.localdate()
    data = {f"end-{seat.pk}-ended_on": today.isoformat()}
    assert as_user(world.secretary).post(url(lu, "mandate_end", seat.pk), data).status_code == 302
    response = as_user(world.staff).post(url(lu, "mandate_end", seat.pk), data)
    assert response.status_code == 409
    (form,) = [r["end_form"] for r in response.context["mandates"] if r["mandate"] == seat]
    assert form.errors["ended_on"] == ["该代表职务已经结束。"]
    seat.refresh_from_db()
    assert seat.ended_on == today


def test_the_edit_page_shows_the_masked_number_and_an_empty_new_number(world, lu, as_user):
    """The reveal button, which is recorded, stays the one way to read the full number."""
    client = as_user(world.secretary)
    entries = lu.history.count()
    response = client.get(url(lu))
    body = response.content.decode()
    assert "13812345678" not in body
    assert "138****5678" in body and "不修改请留空" in body
    assert response.context["form"]["phone"].value() in (None, "")
    assert lu.history.count() == entries  # opening the page reveals nothing, records nothing

    # Saved with the new number left empty: the number stays.
    data = form_data(lu, occupation="村医")
    data["phone"] = ""
    assert client.post(url(lu), data).status_code == 302
    lu.refresh_from_db()
    assert lu.phone == "13812345678" and lu.occupation == "村医"

    # Removing the number is asked for in so many words, and the history says it changed.
    data = form_data(lu, phone_clear="on")
    data["phone"] = ""
    assert client.post(url(lu), data).status_code == 302
    lu.refresh_from_db()
    assert lu.phone == ""
    assert "电话号码已更改" in lu.history.order_by("-history_id").first().history_change_reason
