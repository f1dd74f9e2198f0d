"""The fixture world: named people of every role, in two townships of one county.

    city 怀化市
    ├── county 溆浦县 ─ township 黄茅园镇 (secretary), township 卢峰镇 (other_secretary)
    │                  county_secretary keeps the whole county
    └── county 鹤城区 ─ street 城中街道

Units: 代表工委 (unit_contact), 市司法局 (outsider, a contact of an unrelated unit),
溆浦县交通运输局 (county_unit_contact), 黄茅园镇人民政府 (township_unit_contact).
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from django.test import Client, override_settings

from organisation.models import Region, Unit, User
from organisation.roles import Role
from tests.factories import RegionFactory, UnitFactory, UserFactory

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API runs a loop

FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_and_quiet(settings, tmp_path):
    settings.PASSWORD_HASHERS = FAST_HASHERS
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.LANGUAGE_CODE = "zh-hans"


@dataclass
class World:
    city: Region
    county: Region
    township: Region
    other_township: Region
    other_county: Region
    street: Region
    unit: Unit
    other_unit: Unit
    admin: User
    staff: User
    leader: User
    unit_contact: User
    secretary: User
    other_secretary: User
    county_secretary: User
    deputy: User
    outsider: User
    county_unit: Unit
    township_unit: Unit
    county_unit_contact: User
    township_unit_contact: User

    @property
    def people(self) -> dict[str, User]:
        """Every signed-in person, by the name a test uses for them."""
        return {
            name: getattr(self, name)
            for name in (
                "admin",
                "staff",
                "leader",
                "unit_contact",
                "secretary",
                "other_secretary",
                "county_secretary",
                "deputy",
                "outsider",
                "county_unit_contact",
                "township_unit_contact",
            )
        }


@pytest.fixture
def world(db) -> World:
    city = RegionFactory(code="431200", name="怀化市", level=Region.Level.CITY)
    county = RegionFactory(code="431224", name="溆浦县", level=Region.Level.COUNTY, parent=city)
    township = RegionFactory(code="431224102", name="黄茅园镇", parent=county)
    other_township = RegionFactory(code="431224101", name="卢峰镇", parent=county)
    other_county = RegionFactory(
        code="431202", name="鹤城区", level=Region.Level.COUNTY, parent=city
    )
    street = RegionFactory(code="431202101", name="城中街道", parent=other_county)
    unit = UnitFactory(
        name="怀化市人大常委会代表人事选举任免联络工作委员会",
        short_name="代表工委",
        kind=Unit.Kind.COMMITTEE,
        region=city,
    )
    other_unit = UnitFactory(name="怀化市司法局", short_name="市司法局", region=city)
    county_unit = UnitFactory(
        name="溆浦县交通运输局", short_name="溆浦县交通局", kind=Unit.Kind.GOVERNMENT, region=county
    )
    township_unit = UnitFactory(
        name="黄茅园镇人民政府", short_name="", kind=Unit.Kind.TOWNSHIP, region=township
    )
    return World(
        city=city,
        county=county,
        township=township,
        other_township=other_township,
        other_county=other_county,
        street=street,
        unit=unit,
        other_unit=other_unit,
        admin=UserFactory(username="admin", full_name="系统管理员", role=Role.ADMIN),
        staff=UserFactory(username="staff", full_name="向晓琳", role=Role.STAFF),
        leader=UserFactory(username="leader", full_name="舒国平", role=Role.LEADER),
        unit_contact=UserFactory(username="unit", full_name="杨文静", role=Role.UNIT, unit=unit),
        secretary=UserFactory(
            username="secretary", full_name="侯志刚", role=Role.SECRETARY, region=township
        ),
        other_secretary=UserFactory(
            username="secretary2", full_name="向海燕", role=Role.SECRETARY, region=other_township
        ),
        county_secretary=UserFactory(
            username="county", full_name="张建华", role=Role.SECRETARY, region=county
        ),
        deputy=UserFactory(username="deputy", full_name="陆友红", role=Role.DEPUTY),
        outsider=UserFactory(
            username="outsider", full_name="刘明", role=Role.UNIT, unit=other_unit
        ),
        county_unit=county_unit,
        township_unit=township_unit,
        county_unit_contact=UserFactory(
            username="county-unit", full_name="舒海波", role=Role.UNIT, unit=county_unit
        ),
        township_unit_contact=UserFactory(
            username="township-unit", full_name="向春燕", role=Role.UNIT, unit=township_unit
        ),
    )


# --- The demo city, seeded once per session ---------------------------------------------
# ``manage.py seed_demo`` takes 10-40 s. It runs once per pytest session, into a database
# of its own cloned from the migrated test database (as Django's parallel runner clones
# it); a module that reads the demo city is switched to that database for its tests
# (``pytestmark = pytest.mark.usefixtures("demo_city")``), each test in a transaction
# rolled back as usual, so no test sees another's changes or the demo outside its module.


@dataclass
class DemoCity:
    database: BaseDatabaseWrapper
    output: str  # what ``seed_demo`` printed


def _clone_database(original: BaseDatabaseWrapper) -> BaseDatabaseWrapper:
    """A copy of the (migrated, empty) test database, connected under the same alias."""
    if original.vendor == "sqlite":
        name = original.settings_dict["NAME"]
        if original.creation.is_in_memory_db(name):
            name = "file:memorydb_demo_city?mode=memory&cache=shared"
        else:
            root, ext = os.path.splitext(name)
            name = f"{root}_demo_city{ext}"
        clone = load_backend(original.settings_dict["ENGINE"]).DatabaseWrapper(
            {**original.settings_dict, "NAME": name}, alias=original.alias
        )
        original.ensure_connection()
        clone.ensure_connection()
        original.connection.backup(clone.connection)
        return clone
    original.creation.clone_test_db(suffix="demo_city", verbosity=0)
    settings_dict = original.creation.get_test_db_clone_settings("demo_city")
    return load_backend(settings_dict["ENGINE"]).DatabaseWrapper(
        settings_dict, alias=original.alias
    )


def _drop_database(original: BaseDatabaseWrapper, clone: BaseDatabaseWrapper) -> None:
    if clone.vendor == "sqlite":
        BaseDatabaseWrapper.close(clone)  # SQLite's own close() keeps memory databases
        name = clone.settings_dict["NAME"]
        if not clone.creation.is_in_memory_db(name):
            os.remove(name)
        return
    clone.close()
    original.creation.destroy_test_db(suffix="demo_city", verbosity=0)


@contextmanager
def _connected_to(database: BaseDatabaseWrapper) -> Iterator[None]:
    original = connections[database.alias]
    connections[database.alias] = database
    try:
        yield
    finally:
        connections[database.alias] = original


@pytest.fixture(scope="session")
def demo_city_database(django_db_setup, django_db_blocker) -> Iterator[DemoCity]:
    out = io.StringIO()
    with django_db_blocker.unblock():
        clone = _clone_database(connections[DEFAULT_DB_ALIAS])
        with (
            _connected_to(clone),
            override_settings(PASSWORD_HASHERS=FAST_HASHERS),
        ):
            call_command("seed_demo", stdout=out)
    yield DemoCity(database=clone, output=out.getvalue())
    with django_db_blocker.unblock():
        _drop_database(connections[DEFAULT_DB_ALIAS], clone)


@pytest.fixture(scope="module")
def demo_city(demo_city_database: DemoCity) -> Iterator[DemoCity]:
    """The whole demo city (``seed_demo``) for every test of the module that uses it."""
    with _connected_to(demo_city_database.database):
        yield demo_city_database


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """``demo_city`` switches the database for the rest of its module: every database test
    of a module that uses it must use it."""
    modules: dict[str, list[pytest.Item]] = {}
    for item in items:
        if item.get_closest_marker("django_db"):
            modules.setdefault(item.nodeid.split("::")[0], []).append(item)
    for module, tests in modules.items():
        using = [t for t in tests if "demo_city" in getattr(t, "fixturenames", ())]
        if using and len(using) != len(tests):
            raise pytest.UsageError(
                f"{module}: use demo_city for the whole module "
                '(pytestmark = pytest.mark.usefixtures("demo_city")) or not at all'
            )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def as_user():
    """``as_user(world.staff).get(url)``: a test client signed in as that person."""
    return client_for


# --- A real Celery worker on Redis ------------------------------------------------------
# Tests marked ``worker`` run in their own pytest session with REDIS_URL set (see
# scripts/test.sh), so the portal is configured for a real broker from the start.


@pytest.fixture
def celery_worker(transactional_db):
    """Start ``celery worker`` in a subprocess on the test database; stop it afterwards."""
    import subprocess
    import sys
    import time

    from django.conf import settings
    from django.db import connection

    from congress_portal.celery import app

    if app.conf.task_always_eager:
        pytest.fail("worker tests need REDIS_URL (run them through scripts/test.sh)")
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("worker tests need PostgreSQL: the worker must share the test database")
    database_url = (
        f"postgres://{db['USER'] or 'postgres'}:{db['PASSWORD'] or ''}"
        f"@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": settings.REDIS_URL,
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "congress_portal",
            "worker",
            "--pool=solo",
            "--loglevel=WARNING",
            "--without-gossip",
            "--without-mingle",
            "--hostname=test-worker@%h",
        ],
        env=env,
    )
    try:
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Celery worker did not start")
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


# --- Headless Chromium through Playwright ------------------------------------------------

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 375, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"Chromium not found at {CHROMIUM}: run scripts/test.sh, which installs it")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def new_page(chromium, live_server):
    """``new_page(viewport=PHONE)``: a fresh browser context and page on the live server."""
    contexts = []

    def make(viewport=DESKTOP, locale="zh-CN"):
        context = chromium.new_context(
            viewport=viewport, locale=locale, base_url=live_server.url, accept_downloads=True
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def browser_login(page, username: str, password: str = "portal-demo") -> None:
    page.goto("/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(password)
    page.locator("main button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


AXE_JS = os.path.join(
    os.path.dirname(os.path.dirname(__file__)), "node_modules", "axe-core", "axe.min.js"
)


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core in the page; the violations of the given impacts."""
    if not os.path.exists(AXE_JS):
        pytest.fail("axe-core is missing: run scripts/test.sh, which runs npm ci")
    # The portal's Content-Security-Policy refuses inline scripts, which is what
    # add_script_tag(path=...) makes: serve axe from the page's own origin instead.
    page.route("**/__axe__.js", lambda route: route.fulfill(path=AXE_JS))
    page.add_script_tag(url="/__axe__.js")
    result = page.evaluate("async () => await axe.run(document)")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
