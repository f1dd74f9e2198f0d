"""The duty log quick on a phone: nothing preselected, units grouped 乡镇 / 县 / 市, a
summary of the errors linking to their fields, photos kept across a failed save, and a
day still to come said so instead of a form that fails."""

import datetime as dt
import re

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from liaison_stations.models import DutyLog, DutyPhoto
from liaison_stations.services import HELD_PHOTOS
from organisation.models import Unit
from tests.factories import UnitFactory
from tests.liaison_stations.factories import ShiftFactory
from tests.liaison_stations.test_duty_log import ANSWERED, log_data
from tests.liaison_stations.test_photos import png

pytestmark = pytest.mark.django_db


def address(shift):
    return reverse("liaison_stations:duty_log", args=[shift.pk])


def add_row(client, shift, row=0):
    return client.get(address(shift), {"row": row}, headers={"HX-Request": "true"})


def test_a_new_row_preselects_neither_category_nor_handling(world, places, as_user):
    html = add_row(as_user(world.secretary), places["shifts"]["home"]).content.decode()
    category = re.search(r'<select name="r-0-category".*?</select>', html, re.S).group(0)
    assert re.search(r'<option value="" selected>请选择…</option>', category)
    assert category.count("selected") == 1
    assert html.count('type="radio" name="r-0-handling"') == 3
    assert "checked" not in html


def test_the_unit_picker_is_grouped_by_the_units_level(world, places, as_user):
    # The world's 黄茅园镇人民政府 and 溆浦县交通运输局 (溆浦县交通局), and one closed.
    UnitFactory(name="停用的单位", region=world.county, is_active=False)
    html = add_row(as_user(world.secretary), places["shifts"]["home"]).content.decode()
    picker = re.search(r'<select name="r-0-referred_unit".*?</select>', html, re.S).group(0)
    assert "data-unit-filter" in picker and 'data-filter-label="搜索单位"' in picker
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', picker, re.S)
    names = {label: re.findall(r">([^<]+)</option>", body) for label, body in groups}
    assert list(names) == ["乡镇单位", "县级单位", "市级单位"]
    assert names["乡镇单位"] == ["黄茅园镇人民政府"]
    assert names["县级单位"] == ["溆浦县交通局"]
    assert set(names["市级单位"]) == {"代表工委", "市司法局"}
    assert "停用的单位" not in picker


def test_a_day_still_to_come_says_so_instead_of_a_form(world, places, as_user):
    client = as_user(world.secretary)
    shift = ShiftFactory(station=places["home"], date=timezone.localdate() + dt.timedelta(days=10))
    page = client.get(address(shift))
    html = page.content.decode()
    assert page.status_code == 200 and "未到值班日" in html
    assert 'id="duty-log-form"' not in html
    posted = client.post(address(shift), log_data(shift, shift.deputies.all()))
    assert posted.status_code == 400 and "未到值班日" in posted.content.decode()
    assert not DutyLog.objects.filter(shift=shift).exists()


BAD_ROWS = [
    {**ANSWERED, "answer": ""},
    {
        "channel": "station",
        "category": "roads",
        "content": "通组公路破损",
        "handling": "referred",
        "referral_due": "2099-01-31",
    },
]


def test_a_failed_save_lists_each_error_with_a_link_to_its_field(world, places, as_user):
    shift = places["shifts"]["home"]
    data = {**log_data(shift, shift.deputies.all(), BAD_ROWS), "hours": "0"}
    response = as_user(world.secretary).post(address(shift), data)
    assert response.status_code == 400
    html = response.content.decode()
    summary = re.search(r'<div class="error-summary.*?</div>', html, re.S).group(0)
    assert "值班记录未保存：有 3 处需要修改" in summary
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [anchor for anchor, _text in links] == [
        "id_hours",
        "id_r-0-answer",
        "id_r-1-referred_unit",
    ]
    assert links[1][1].startswith("群众 1 · ")
    for anchor, _text in links:
        assert f'id="{anchor}"' in html  # each link lands on its field


def test_photos_chosen_with_an_error_are_kept_for_the_next_save(world, places, as_user):
    shift = places["shifts"]["home"]
    client = as_user(world.secretary)
    came = shift.deputies.all()
    first = client.post(
        address(shift), {**log_data(shift, came, BAD_ROWS[:1]), "photos": [png("站内.png")]}
    )
    assert first.status_code == 400
    html = first.content.decode()
    assert "已保留之前选择的 1 张照片" in html and "站内.png" in html
    tokens = re.findall(r'name="held_photos" value="([^"]+)"', html)
    assert len(tokens) == 1
    (kept,) = default_storage.listdir(HELD_PHOTOS)[1]

    # Someone else's token is not theirs to use.
    other = as_user(world.county_secretary).post(
        address(shift), {**log_data(shift, came, [ANSWERED]), "held_photos": tokens}
    )
    assert other.status_code == 302 and not DutyPhoto.objects.exists()

    second = client.post(
        address(shift), {**log_data(shift, came, [ANSWERED]), "held_photos": tokens, "version": "1"}
    )
    assert second.status_code == 302, second.content.decode()[:2000]
    (photo,) = DutyPhoto.objects.filter(log__shift=shift)
    assert photo.image.read().startswith(b"\x89PNG")
    assert kept not in default_storage.listdir(HELD_PHOTOS)[1]


def test_a_forged_token_is_ignored(world, places, as_user):
    shift = places["shifts"]["home"]
    data = {**log_data(shift, shift.deputies.all()), "held_photos": ["stations/duty/x.png"]}
    assert as_user(world.secretary).post(address(shift), data).status_code == 302
    assert not DutyPhoto.objects.exists()
    assert Unit.objects.exists()


def test_without_script_add_a_constituent_brings_the_form_back_with_one_more_row(
    world, places, as_user
):
    shift = places["shifts"]["home"]
    data = {
        **log_data(shift, shift.deputies.all(), [{**ANSWERED, "answer": ""}]),
        "photos": [png("门口.png")],
        "add_row": "1",
    }
    response = as_user(world.secretary).post(address(shift), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="r-1-content"' in html and 'name="r-2-content"' not in html
    assert 'name="r-TOTAL_FORMS" value="2"' in html
    assert "低保复核有疑问" in html  # what was typed stays
    assert "error-summary" not in html and "field__error" not in html
    assert "已保留之前选择的 1 张照片" in html
    assert not DutyLog.objects.filter(shift=shift).exists()
