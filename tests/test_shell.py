"""The UI shell: login, home page by role, navigation, language, password change."""

import pytest
from django.urls import reverse

from organisation.models import Region
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def test_login_page_is_in_chinese_by_default(client):
    response = client.get(reverse("login"))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "人大履职与监督工作平台" in html
    assert '<label for="id_username">用户名' in html


def test_wrong_password_shows_the_error_on_the_form(world, client):
    response = client.post(reverse("login"), {"username": "staff", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的用户名和密码" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_then_logout(world, client):
    response = client.post(reverse("login"), {"username": "staff", "password": "portal-demo"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


@pytest.mark.parametrize(
    ("person", "expected", "absent"),
    [
        ("staff", ["首页", "组织机构"], []),
        ("leader", ["首页", "组织机构"], []),
        ("secretary", ["首页", "组织机构"], []),
        ("unit_contact", ["首页"], ['href="/organisation/regions/"']),
        ("deputy", ["首页"], ['href="/organisation/regions/"']),
    ],
)
def test_home_page_greets_each_role_with_their_navigation(world, person, expected, absent):
    user = world.people[person]
    html = client_for(user).get(reverse("home")).content.decode()
    assert f"{user.full_name}，您好" in html
    assert user.get_role_display() in html
    for text in expected:
        assert text in html
    for text in absent:
        assert text not in html


def test_home_page_names_the_secretarys_township(world):
    html = client_for(world.secretary).get(reverse("home")).content.decode()
    assert "乡镇/街道人大秘书 · 黄茅园镇" in html


def test_anonymous_home_goes_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_switching_to_english_changes_the_interface(world):
    client = client_for(world.staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in html
    assert "Good day, 向晓琳" in html
    assert "Congress work portal" in html


def test_dates_read_the_chinese_way(world):
    from datetime import date

    from django.template import Context, Template
    from django.utils import translation

    with translation.override("zh-hans"):
        rendered = Template("{{ d|date }}").render(Context({"d": date(2025, 3, 18)}))
    assert rendered == "2025年3月18日"


def test_password_change(world):
    client = client_for(world.deputy)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "portal-demo",
            "new_password1": "Wuxi-2025-river",
            "new_password2": "Wuxi-2025-river",
        },
    )
    assert response.status_code == 302
    world.deputy.refresh_from_db()
    assert world.deputy.check_password("Wuxi-2025-river")


def test_password_change_rejects_a_wrong_old_password(world):
    response = client_for(world.deputy).post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "Wuxi-2025-river",
            "new_password2": "Wuxi-2025-river",
        },
    )
    assert response.status_code == 200
    assert 'class="field__error"' in response.content.decode()
    world.deputy.refresh_from_db()
    assert world.deputy.check_password("portal-demo")


def test_region_page_shows_who_changed_what(world):
    client = client_for(world.staff)
    region = Region.objects.get(pk=world.township.pk)
    region.name = "黄茅园镇（新）"
    region._history_user = world.staff
    region.save()
    html = client.get(reverse("organisation:region", args=[region.code])).content.decode()
    assert "变更记录" in html
    assert "向晓琳" in html
    assert (
        '<span class="history__label">名称</span> <del>黄茅园镇</del> → <ins>黄茅园镇（新）</ins>'
        in html
    )


def test_history_names_related_records_and_hides_bookkeeping(world):
    from organisation.selectors import history_of

    unit = world.other_unit
    unit.region = world.county
    unit._history_user = world.staff
    unit.save()
    unit.kind = "committee"
    unit.save()
    rows = history_of(unit)
    changes = [(c.label, str(c.old), str(c.new)) for row in rows for c in row["changes"]]
    assert ("类别", "政府部门", "常委会工作机构") in changes
    assert ("行政区划", "怀化市", "溆浦县") in changes
    assert all(label not in ("Version", "Path", "path") for label, _o, _n in changes)
