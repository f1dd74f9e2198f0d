"""The shell in real headless Chromium: phone and desktop, language switch, accessibility."""

import pytest

from tests.conftest import DESKTOP, PHONE, axe_violations, browser_login
from tests.tasks.conftest import task  # noqa: F401  (fixture)

pytestmark = pytest.mark.browser


def test_staff_on_a_phone_and_a_leader_on_a_desktop(world, new_page):
    phone = new_page(viewport=PHONE)
    browser_login(phone, "staff")
    assert phone.locator("h1").inner_text() == "向晓琳，您好"
    assert phone.get_by_role("navigation", name="主导航").is_visible()
    # Nothing is wider than the phone: no sideways scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    desktop = new_page(viewport=DESKTOP)
    browser_login(desktop, "leader")
    assert desktop.locator("h1").inner_text() == "舒国平，您好"
    assert "常委会领导" in desktop.locator(".lead").inner_text()

    # One tap: the language's own button posts it.
    desktop.get_by_role("button", name="English").click()
    desktop.wait_for_selector("html[lang=en]")
    assert desktop.locator("h1").inner_text() == "Good day, 舒国平"
    assert desktop.get_by_role("link", name="Home").is_visible()


def test_a_wrong_password_is_explained_next_to_the_form(world, new_page):
    page = new_page(viewport=PHONE)
    page.goto("/accounts/login/")
    page.get_by_label("用户名").fill("staff")
    page.get_by_label("密码").fill("not-this-one")
    page.get_by_role("button", name="登录").click()
    assert "请输入一个正确的用户名和密码" in page.locator("[role=alert]").inner_text()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_shell_pages_have_no_serious_accessibility_violations(world, new_page, viewport):
    page = new_page(viewport=viewport)
    page.goto("/accounts/login/")
    assert axe_violations(page) == []
    browser_login(page, "staff")
    for url in [
        "/",
        "/organisation/regions/",
        f"/organisation/regions/{world.township.code}/",
        "/organisation/units/",
        "/accounts/password/",
    ]:
        page.goto(url)
        assert axe_violations(page) == [], url


def test_the_content_security_policy_blocks_nothing_the_portal_does(world, new_page, task):  # noqa: F811
    """The policy forbids inline scripts; every page and its htmx still work under it,
    with no violation reported by Chromium (and an injected inline script does not run)."""
    page = new_page(viewport=PHONE)
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security" in m.text else None)
    browser_login(page, "staff")
    for path in ("/", "/tasks/", f"/tasks/{task.pk}/", "/notifications/", "/reports/"):
        page.goto(path)
    page.goto("/tasks/")
    page.locator(".filter-drawer > summary").click()  # a phone folds the filters
    page.locator("#id_status").select_option("overdue")  # an htmx request under the policy
    page.wait_for_url("**status=overdue**")
    assert refused == []
    page.evaluate(
        "() => { const s = document.createElement('script');"
        " s.textContent = 'window.injected = true'; document.body.append(s); }"
    )
    assert page.evaluate("() => window.injected === undefined")
    assert any("Content Security" in text for text in refused)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_account_menu_opens_and_closes(world, new_page, viewport):
    page = new_page(viewport=viewport)
    browser_login(page, "staff")
    password = page.get_by_role("link", name="修改密码")
    assert not password.is_visible()
    page.locator(".account-menu > summary").click()
    assert password.is_visible()
    box = password.bounding_box()
    assert box["height"] >= 44 and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
    assert page.get_by_role("button", name="退出").is_visible()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    assert not password.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_filters_fold_into_a_drawer_on_a_phone_only(world, new_page):
    phone = new_page(viewport=PHONE)
    browser_login(phone, "staff")
    phone.goto("/deputies/")
    assert not phone.get_by_role("button", name="筛选", exact=True).is_visible()
    phone.get_by_text("筛选条件").click()
    assert phone.get_by_role("button", name="筛选", exact=True).is_visible()

    desktop = new_page(viewport=DESKTOP)
    browser_login(desktop, "staff")
    desktop.goto("/deputies/")
    assert desktop.get_by_role("button", name="筛选", exact=True).is_visible()
