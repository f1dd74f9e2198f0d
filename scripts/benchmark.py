"""The portal's own benchmark: each main page per role beside its anchors (issue 18).

    .venv/bin/python scripts/benchmark.py                  # the demo city, 10 years
    .venv/bin/python scripts/benchmark.py --scale province # 14 cities under one province
    .venv/bin/python scripts/benchmark.py --scale smoke    # tiny; what CI runs (as a test)

It works in its own PostgreSQL database (``portal_benchmark_<scale>`` beside the one
DATABASE_URL names; created and migrated when missing, reused when seeded):

1. **Seeding** (timed apart): ``seed_demo`` (the demo city); for a province, the city is
   copied 13 times in set-based SQL under one province region (``--scale province``).
2. **One year**: every main page (the navigation of each role, the home page, the task
   list of the year) measured as that role with a warm test client: queries, median and
   p95 server time over ``--repeat`` requests.
3. **Ten years**: nine more years of task lists (each task finished in its year, twelve
   accepted monthly reports) and of receptions are added in set-based SQL, and every
   page is measured again: the ratio 10 years / 1 year says whether the page stays flat.
4. **Anchors**, in the same run: a bare page (one query and a plain template of the same
   rows, through the same middleware), Django admin's changelist of the same tasks, and
   WeasyPrint alone on the monthly PDF's finished HTML beside the whole PDF.

Before measuring, the process is made ready as each gunicorn worker is
(``congress_portal.warm.warm_and_freeze``: templates compiled, long-lived objects frozen).

It prints the table and the ratios, and writes ``benchmark-<scale>.json`` and
``benchmark-<scale>.md`` (``--out`` names the JSON). Times are wall-clock on whatever
machine runs it; the README records the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import statistics
import sys
import time
import types
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congress_portal.settings")

PROVINCE_CITIES = 14


# --- the database -------------------------------------------------------------------------


def _database_url(scale: str) -> str:
    """The benchmark's own database beside the one DATABASE_URL names."""
    from urllib.parse import urlsplit, urlunsplit

    base = os.environ.get("DATABASE_URL", "postgres://portal:portal@127.0.0.1:5432/portal")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit("the benchmark runs on PostgreSQL: set DATABASE_URL=postgres://…")
    return urlunsplit(parts._replace(path=f"/portal_benchmark_{scale}"))


def _create_database(url: str, *, fresh: bool) -> None:
    from urllib.parse import urlsplit, urlunsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and fresh:
            conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
            conn.execute(f'DROP DATABASE IF EXISTS "{name}_1y" WITH (FORCE)')
            exists = None
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


# --- seeding ------------------------------------------------------------------------------


def _columns(model) -> list[str]:
    return [f.column for f in model._meta.concrete_fields if not f.primary_key]


def copy_rows(model, *, where: str, params: list, overrides: dict[str, str]) -> int:
    """INSERT … SELECT a model's rows (``where`` on alias ``t``) with some columns
    replaced by SQL expressions on ``t``; returns the number of rows copied."""
    from django.db import connection

    table = model._meta.db_table
    cols = _columns(model)
    select = ", ".join(overrides.get(c, f't."{c}"') for c in cols)
    names = ", ".join(f'"{c}"' for c in cols)
    sql = f'INSERT INTO "{table}" ({names}) SELECT {select} FROM "{table}" t WHERE {where}'  # nosec B608  (names from the models; values are parameters)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def vacuum() -> float:
    """``VACUUM ANALYZE`` the database in use, as autovacuum keeps a live one (the
    visibility map lets counts read indexes alone; this machine's server runs without
    autovacuum); only ``ANALYZE`` inside a transaction (the smoke test). Seconds."""
    from django.db import connection

    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    return round(time.perf_counter() - started, 1)


def add_history(*, years: int, today: dt.date) -> dict[str, int]:
    """Give every city ``years`` years of task lists and receptions (set-based SQL).

    Each year without lists gets a copy of this year's lists: every task finished on
    15 December of its year, with twelve accepted reports; this year's receptions are
    copied into each past year without receptions, every date moved by whole years.
    """
    from django.db import connection, transaction

    from liaison_stations.models import Reception
    from tasks.models import Aspect, ProgressReport, Task, TaskList

    added = {"task_lists": 0, "tasks": 0, "reports": 0, "receptions": 0}
    current = list(TaskList.objects.filter(year=today.year))
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT DISTINCT EXTRACT(YEAR FROM received_at)::int FROM "{Reception._meta.db_table}"'  # nosec B608  (names from the models; values are parameters)
        )
        reception_years = {row[0] for row in cursor.fetchall()}
    for year in range(today.year - years + 1, today.year):
        shift = today.year - year
        with transaction.atomic():
            for source in current:
                title = source.title.replace(str(today.year), str(year))
                if TaskList.objects.filter(year=year, title=title).exists():
                    continue
                copy = TaskList.objects.create(
                    year=year,
                    title=title,
                    kind=source.kind,
                    issuer=source.issuer,
                    copied_from=source,
                    reports_start=dt.date(year, 1, 1),
                )
                added["task_lists"] += 1
                copy_rows(
                    Aspect,
                    where="t.task_list_id = %s",
                    params=[source.pk],
                    overrides={"task_list_id": str(copy.pk)},
                )
                aspect_table = Aspect._meta.db_table
                added["tasks"] += copy_rows(
                    Task,
                    where="t.task_list_id = %s",
                    params=[source.pk],
                    overrides={
                        "task_list_id": str(copy.pk),
                        "aspect_id": (
                            f'(SELECT n.id FROM "{aspect_table}" n JOIN "{aspect_table}" o '  # nosec B608  (names from the models; values are parameters)
                            f"ON o.number = n.number WHERE o.id = t.aspect_id "
                            f"AND n.task_list_id = {copy.pk})"
                        ),
                        "deadline": f"make_date({year}, 12, 31)",
                        "is_long_term": "false",
                        "percent_done": "100",
                        "completed_on": f"make_date({year}, 12, 15)",
                        "version": "1",
                    },
                )
                report_cols = _columns(ProgressReport)
                values = {
                    "task_id": "t.id",
                    "unit_id": "t.lead_unit_id",
                    "month": f"make_date({year}, m, 1)",
                    "text": "'按计划推进，本月完成阶段工作。'",
                    "percent": "LEAST(100, m * 9)",
                    "status": "'accepted'",
                    "submitted_by_id": "NULL",
                    "submitted_at": f"make_timestamptz({year}, m, 20, 10, 0, 0)",
                    "reviewed_by_id": "NULL",
                    "reviewed_at": f"make_timestamptz({year}, m, 22, 10, 0, 0)",
                    "review_comment": "''",
                    "version": "1",
                }
                missing = [c for c in report_cols if c not in values]
                if missing:
                    raise RuntimeError(f"ProgressReport columns unknown to the seeder: {missing}")
                with connection.cursor() as cursor:
                    cursor.execute(
                        f'INSERT INTO "{ProgressReport._meta.db_table}" '  # nosec B608  (names from the models; values are parameters)
                        f"({', '.join(report_cols)}) "
                        f"SELECT {', '.join(values[c] for c in report_cols)} "
                        f'FROM "{Task._meta.db_table}" t, generate_series(1, 12) m '
                        f"WHERE t.task_list_id = %s",
                        [copy.pk],
                    )
                    added["reports"] += cursor.rowcount
            if year not in reception_years:
                date_cols = [
                    f.column
                    for f in Reception._meta.concrete_fields
                    if f.get_internal_type() in ("DateField", "DateTimeField")
                ]
                added["receptions"] += copy_rows(
                    Reception,
                    where="EXTRACT(YEAR FROM t.received_at) = %s",
                    params=[today.year],
                    overrides={
                        **{c: f"t.\"{c}\" - interval '{shift} years'" for c in date_cols},
                        "shift_id": "NULL",
                        "follow_up_type_id": "NULL",
                        "follow_up_id": "NULL",
                    },
                )
    vacuum()
    return added


SKIPPED_APPS = {"admin", "auth", "contenttypes", "sessions", "axes", "django_celery_beat"}
OFFSET = (
    10_000_000  # the ids of the k-th copy of the city: k * OFFSET + the original's (int4 keys too)
)


def _copy_plan() -> dict:
    """Which tables a city's copy takes and how each column changes: the primary key and
    every key to a copied table offset, one text column of each unique set suffixed."""
    from django.apps import apps
    from django.db import models

    candidates = [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.app_label not in SKIPPED_APPS
        and not m._meta.db_table.split("_", 1)[-1].startswith("historical")
        and isinstance(m._meta.pk, models.AutoField | models.BigAutoField)
        and not m._meta.proxy
        and m._meta.managed
    ]
    copied = set(candidates)
    while True:  # a table with a unique set that no copy can keep unique stays shared
        plan = {model: _columns_plan(model, copied) for model in copied}
        shared = {model for model, how in plan.items() if how is None}
        if not shared:
            return plan
        copied -= shared


def _columns_plan(model, copied: set) -> dict | None:
    from django.db import models

    offset_cols = {model._meta.pk.column}
    for f in model._meta.concrete_fields:
        if f.is_relation and f.related_model in copied:
            offset_cols.add(f.column)
    for generic in model._meta.private_fields:
        if isinstance(getattr(generic, "fk_field", None), str):
            offset_cols.add(model._meta.get_field(generic.fk_field).column)
    unique_sets = [[f] for f in model._meta.concrete_fields if f.unique and not f.primary_key]
    unique_sets += [
        [model._meta.get_field(n) for n in names] for names in model._meta.unique_together
    ]
    unique_sets += [
        [model._meta.get_field(n) for n in c.fields]
        for c in model._meta.constraints
        if isinstance(c, models.UniqueConstraint) and c.fields
    ]
    suffix_cols: dict[str, int] = {}
    for fields in unique_sets:
        if any(f.column in offset_cols for f in fields):
            continue
        text = [f for f in fields if isinstance(f, models.CharField | models.TextField)]
        if not text:
            return None
        suffix_cols[text[0].column] = text[0].max_length or 10_000
    return {"offset": offset_cols, "suffix": suffix_cols}


def multiply(*, cities: int) -> dict[str, Any]:
    """Make the seeded city one of ``cities`` under a province region, in set-based SQL:
    every table of the portal (not the histories) copied ``cities - 1`` times, keys
    offset, unique names suffixed ``-k``; each city's staff and leaders name their city;
    ``province`` is the province office (staff naming the province)."""
    from django.db import connection, transaction

    from organisation.demo import DEMO_PASSWORD
    from organisation.models import Region, User
    from organisation.roles import OFFICE, Role

    started = time.perf_counter()
    plan = _copy_plan()
    city = Region.objects.get(level=Region.Level.CITY)
    rows = 0
    with transaction.atomic():
        province = Region.objects.create(
            code="43", name="湖南省", level=Region.Level.PROVINCE, path="/43/"
        )
        region_table = Region._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f'UPDATE "{region_table}" SET path = %s || path WHERE id <> %s',  # nosec B608
                ["/43", province.pk],
            )
            cursor.execute(
                f'UPDATE "{region_table}" SET parent_id = %s WHERE id = %s',  # nosec B608
                [province.pk, city.pk],
            )
        for k in range(1, cities):
            for model, how in plan.items():
                overrides = {}
                for col in how["offset"]:
                    overrides[col] = f't."{col}" + {k * OFFSET}'
                for col, length in how["suffix"].items():
                    overrides[col] = f"left(t.\"{col}\", {length - 3}) || '-{k}'"
                if model is Region:
                    overrides["path"] = (
                        f"'/43' || regexp_replace(substr(t.path, 4), '/([^/]+)', '/\\1-{k}', 'g')"
                    )
                cols = [f.column for f in model._meta.concrete_fields]
                select = ", ".join(overrides.get(c, f't."{c}"') for c in cols)
                names = ", ".join(f'"{c}"' for c in cols)
                table = model._meta.db_table
                with connection.cursor() as cursor:
                    cursor.execute(
                        f'INSERT INTO "{table}" ({names}) SELECT {select} '  # nosec B608
                        f'FROM "{table}" t WHERE t."{model._meta.pk.column}" < %s '
                        f'AND t."{model._meta.pk.column}" <> %s',
                        [OFFSET, province.pk if model is Region else 0],
                    )
                    rows += cursor.rowcount
            Region.objects.filter(pk=city.pk + k * OFFSET).update(
                name=f"{city.name}{k + 1}", parent=province
            )
            User.objects.filter(
                pk__gte=k * OFFSET, pk__lt=(k + 1) * OFFSET, role__in=OFFICE
            ).update(region_id=city.pk + k * OFFSET)
        User.objects.filter(pk__lt=OFFSET, role__in=OFFICE).update(region_id=city.pk)
        User.objects.create_user(
            "province",
            password=DEMO_PASSWORD,
            role=Role.STAFF,
            region=province,
            full_name="省人大常委会办公厅",
        )
        with connection.cursor() as cursor:
            for model in plan:
                table, pk = model._meta.db_table, model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', '{pk}'), "  # nosec B608
                    f'GREATEST(1, (SELECT MAX("{pk}") FROM "{table}")))'
                )
    vacuum()
    return {
        "cities": cities,
        "tables": len(plan),
        "rows_copied": rows,
        "seconds": round(time.perf_counter() - started, 1),
    }


# --- measuring ----------------------------------------------------------------------------


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


class _Counter:
    """Counts the statements a request runs (``reset_queries`` on request_started empties
    ``connection.queries``, so CaptureQueriesContext reads 0 through the test client)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _timed(client, url: str, repeat: int) -> dict[str, Any]:
    from django.db import connection

    response = client.get(url)  # warm: templates, caches, the session
    counter = _Counter()
    with connection.execute_wrapper(counter):
        response = client.get(url)
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "status": response.status_code,
        "queries": counter.count,
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(_percentile(times, 0.95), 1),
    }


def _bench_urls(task_list_pk: int | None):
    """The portal's URLs plus the anchors: the bare pages and an admin site with a task
    changelist (the portal has none)."""
    from django.contrib import admin
    from django.http import HttpResponse
    from django.template import Context, Template
    from django.urls import include, path

    import congress_portal.urls as portal_urls
    from liaison_stations.models import Station
    from tasks.models import Task

    site = admin.AdminSite(name="benchadmin")

    class TaskAdmin(admin.ModelAdmin):
        list_display = ("number", "content", "lead_unit", "lead_leader", "deadline", "percent_done")
        list_select_related = ("lead_unit", "lead_leader")
        list_filter = ("task_list",)
        list_per_page = 500

    site.register(Task, TaskAdmin)

    page = Template(
        "<!doctype html><html lang=zh><title>tasks</title><ol>{% for t in rows %}"
        '<li>{{ t.0 }} <a href="/tasks/{{ t.1 }}/">{{ t.2|truncatechars:90 }}</a> '
        '{{ t.3 }} · {{ t.4|date:"DATE_FORMAT" }} {{ t.5 }}%</li>{% endfor %}</ol></html>'
    )

    def bare_tasks(request, pk):
        rows = list(
            Task.objects.filter(task_list_id=pk)
            .order_by("aspect__number", "number")
            .values_list("number", "pk", "content", "lead_unit__name", "deadline", "percent_done")
        )
        return HttpResponse(page.render(Context({"rows": rows})))

    station_page = Template(
        "<!doctype html><html lang=zh><title>stations</title><ol>{% for s in rows %}"
        '<li><a href="/s/{{ s.0 }}/">{{ s.1 }}</a> {{ s.2 }}</li>{% endfor %}</ol></html>'
    )

    def bare_stations(request):
        # The stations the person sees (a city's staff: their city's), as /stations/ does.
        rows = list(
            Station.objects.visible_to(request.user)
            .order_by("region__path", "name")
            .values_list("code", "name", "region__name")
        )
        return HttpResponse(station_page.render(Context({"rows": rows})))

    module = types.ModuleType("benchmark_urls")
    module.urlpatterns = [  # type: ignore[attr-defined]
        path("__bench/bare/tasks/<int:pk>/", bare_tasks),
        path("__bench/bare/stations/", bare_stations),
        path("__bench/admin/", site.urls),
        path("", include(portal_urls)),
    ]
    return module


def _users() -> dict[str, Any]:
    from organisation.models import User
    from organisation.roles import Role

    users = {}
    # The five roles of the issue (not the administrators), each with its demo account.
    for role in [r.value for r in Role if r != Role.ADMIN]:
        user = User.objects.filter(username=role, role=role).first() or (
            User.objects.filter(role=role, is_active=True).order_by("pk").first()
        )
        if user is not None:
            users[role] = user
    province = User.objects.filter(username="province").first()
    if province is not None:
        users["province"] = province
    return users


def _pages_for(user) -> list[str]:
    from organisation.navigation import items_for

    urls = ["/"] + [item["url"] for item in items_for(user)]
    return list(dict.fromkeys(urls))


def _use_database(name: str) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def measure_pages(repeat: int, *, before: str | None = None) -> tuple[list, list]:
    """Each role's main pages: ``(rows now, rows in the database named ``before``)``.

    With ``before`` (the same city without the added history), each page is measured
    there and here in turn, so the load of the machine falls on both alike."""
    from django.db import connection
    from django.test import Client

    here = connection.settings_dict["NAME"]
    now_rows, before_rows = [], []
    for role, user in _users().items():
        clients: dict[str, Client] = {}
        for name in [n for n in (before, here) if n]:
            if before:
                _use_database(name)
            clients[name] = Client()
            clients[name].force_login(user)
        for url in _pages_for(user):
            if before:
                _use_database(before)
                before_rows.append(
                    {"role": role, "url": url, **_timed(clients[before], url, repeat)}
                )
                _use_database(here)
            now_rows.append({"role": role, "url": url, **_timed(clients[here], url, repeat)})
    return now_rows, before_rows


def measure_anchors(repeat: int, today: dt.date) -> dict[str, Any]:
    from django.test import Client
    from django.test.utils import override_settings

    from organisation.models import User
    from tasks.models import TaskList

    committee = (
        TaskList.objects.filter(year=today.year, kind=TaskList.Kind.COMMITTEE)
        .order_by("pk")
        .first()
        or TaskList.objects.order_by("-year", "pk").first()
    )
    anchors: dict[str, Any] = {}
    if committee is None:
        return anchors
    admin_user = User.objects.filter(is_superuser=True).order_by("pk").first()
    if admin_user is None:
        admin_user = User.objects.create_superuser("bench-admin", role="admin")
    staff = _users().get("staff")
    urlconf = _bench_urls(committee.pk)
    with override_settings(ROOT_URLCONF=urlconf):
        client = Client()
        client.force_login(staff or admin_user)
        tasks_url = f"/tasks/?list={committee.pk}"
        anchors["tasks_page"] = {"url": tasks_url, **_timed(client, tasks_url, repeat)}
        anchors["tasks_bare"] = _timed(client, f"/__bench/bare/tasks/{committee.pk}/", repeat)
        anchors["stations_page"] = _timed(client, "/stations/", repeat)
        anchors["stations_bare"] = _timed(client, "/__bench/bare/stations/", repeat)
        admin_client = Client()
        admin_client.force_login(admin_user)
        anchors["tasks_admin"] = _timed(
            admin_client, f"/__bench/admin/tasks/task/?task_list__id__exact={committee.pk}", repeat
        )
    anchors["rows"] = committee.tasks.count()
    anchors["ratio_tasks_to_bare"] = round(
        anchors["tasks_page"]["median_ms"] / anchors["tasks_bare"]["median_ms"], 2
    )
    anchors["ratio_tasks_to_admin"] = round(
        anchors["tasks_page"]["median_ms"] / anchors["tasks_admin"]["median_ms"], 2
    )
    anchors["ratio_stations_to_bare"] = round(
        anchors["stations_page"]["median_ms"] / anchors["stations_bare"]["median_ms"], 2
    )
    return anchors


def measure_pdf(repeat: int, today: dt.date) -> dict[str, Any]:
    from django.conf import settings
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from reports.document import monthly_html, render_monthly

    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    html_ms, weasy_ms, whole_ms = [], [], []
    for _ in range(repeat):
        started = time.perf_counter()
        html = monthly_html(month)
        html_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        HTML(string=html, base_url=str(settings.BASE_DIR)).render(
            font_config=FontConfiguration()
        ).write_pdf()
        weasy_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        render_monthly(month)
        whole_ms.append((time.perf_counter() - started) * 1000)
    result = {
        "month": month.isoformat(),
        "html_ms": round(statistics.median(html_ms), 1),
        "weasyprint_alone_ms": round(statistics.median(weasy_ms), 1),
        "monthly_pdf_ms": round(statistics.median(whole_ms), 1),
    }
    result["ratio_pdf_to_weasyprint"] = round(
        result["monthly_pdf_ms"] / result["weasyprint_alone_ms"], 2
    )
    return result


def _snapshot() -> str:
    """Copy the database as it is now to ``<name>_1y`` (PostgreSQL's template copy)."""
    from django.db import connection

    from tasks.models import TaskList

    name = connection.settings_dict["NAME"]
    copy = f"{name}_1y"
    history = TaskList.objects.filter(year__lt=dt.date.today().year - 1).exists()
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [copy])
        if cursor.fetchone() is None:
            if history:
                sys.exit(f"{name} has its history but no copy without it: run with --fresh")
            cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
        # A template copy does not take the database's own settings (jit = off, organisation
        # migration 0005): the copy is given them, so both are measured alike.
        cursor.execute(
            "SELECT unnest(setconfig) FROM pg_db_role_setting s JOIN pg_database d"
            " ON d.oid = s.setdatabase WHERE d.datname = %s AND s.setrole = 0",
            [name],
        )
        for setting in [row[0] for row in cursor.fetchall()]:
            key, _eq, value = setting.partition("=")
            cursor.execute(f'ALTER DATABASE "{copy}" SET "{key}" = %s', [value])
    return copy


# --- the run ------------------------------------------------------------------------------


def run(
    *,
    scale: str,
    repeat: int,
    years: int,
    out: Path,
    seed: bool = True,
    pdf_repeat: int = 3,
    separate_database: bool = False,
) -> dict[str, Any]:
    """Seed (unless ``seed`` is false: the caller's data), measure at one year, add the
    history, measure again with the anchors; write the JSON and the table.

    ``separate_database``: keep the one-year city as a copy (``<name>_1y``) and measure
    both in turn, page by page (the command line's way; a test measures one, then the other)."""
    from django.core.management import call_command
    from django.utils import timezone

    from organisation.models import Region

    today = timezone.localdate()
    result: dict[str, Any] = {
        "scale": scale,
        "years": years,
        "repeat": repeat,
        "today": today.isoformat(),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    started = time.perf_counter()
    if seed and not Region.objects.exists():
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115
        result["seed_city_s"] = round(time.perf_counter() - started, 1)
    province = Region.objects.filter(level=Region.Level.PROVINCE)
    if seed and scale == "province" and not province.exists():
        result["province"] = multiply(cities=PROVINCE_CITIES)
    result["seed_s"] = round(time.perf_counter() - started, 1)

    # As each gunicorn worker does before its first request (deploy/gunicorn.conf.py);
    # undone at the end, for a caller that goes on (the smoke test).
    from congress_portal.warm import warm_and_freeze

    warm_and_freeze()
    try:
        return _measure(
            result,
            repeat=repeat,
            years=years,
            out=out,
            pdf_repeat=pdf_repeat,
            separate_database=separate_database,
            today=today,
        )
    finally:
        gc.unfreeze()


def _measure(
    result: dict[str, Any],
    *,
    repeat: int,
    years: int,
    out: Path,
    pdf_repeat: int,
    separate_database: bool,
    today: dt.date,
) -> dict[str, Any]:
    from django.db import connection

    before = None
    if separate_database:
        before = _snapshot()
        here = connection.settings_dict["NAME"]
        _use_database(before)
        result["vacuum_s"] = vacuum()
        _use_database(here)
        result["vacuum_s"] += vacuum()
    else:
        result["one_year"], _ = measure_pages(repeat)
    started = time.perf_counter()
    result["history_added"] = add_history(years=years, today=today)
    result["history_s"] = round(time.perf_counter() - started, 1)
    result["ten_years"], one_year = measure_pages(repeat, before=before)
    if before:
        result["one_year"] = one_year
    result["anchors"] = measure_anchors(repeat, today)
    result["pdf"] = measure_pdf(pdf_repeat, today)
    one = {(r["role"], r["url"]): r for r in result["one_year"]}
    for row in result["ten_years"]:
        before = one.get((row["role"], row["url"]))
        if before and before["median_ms"]:
            row["ratio_to_one_year"] = round(row["median_ms"] / before["median_ms"], 2)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    table = render_table(result)
    out.with_suffix(".md").write_text(table)
    return result


def render_table(result: dict[str, Any]) -> str:
    lines = [
        f"Benchmark, scale {result['scale']}, {result['years']} years, "
        f"{result['repeat']} requests per page, {result['machine']['cpus']} CPUs; "
        f"seeding {result['seed_s']} s, history {result['history_s']} s",
        "",
        "| role | page | status | queries | median ms | p95 ms | 10y/1y |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in result["ten_years"]:
        lines.append(
            f"| {row['role']} | `{row['url']}` | {row['status']} | {row['queries']} | "
            f"{row['median_ms']} | {row['p95_ms']} | {row.get('ratio_to_one_year', '')} |"
        )
    a = result["anchors"]
    if a:
        lines += [
            "",
            "| anchor | portal | anchor | ratio |",
            "|---|---|---|---|",
            f"| `/tasks/` ({a['rows']} tasks) vs bare page | {a['tasks_page']['median_ms']} ms, "
            f"{a['tasks_page']['queries']} q | {a['tasks_bare']['median_ms']} ms, "
            f"{a['tasks_bare']['queries']} q | {a['ratio_tasks_to_bare']}× |",
            f"| `/tasks/` vs admin changelist | {a['tasks_page']['median_ms']} ms | "
            f"{a['tasks_admin']['median_ms']} ms, {a['tasks_admin']['queries']} q | "
            f"{a['ratio_tasks_to_admin']}× |",
            f"| `/stations/` vs bare page | {a['stations_page']['median_ms']} ms | "
            f"{a['stations_bare']['median_ms']} ms | {a['ratio_stations_to_bare']}× |",
        ]
    p = result["pdf"]
    lines.append(
        f"| monthly PDF {p['month'][:7]} vs WeasyPrint alone on its HTML | "
        f"{p['monthly_pdf_ms']} ms (HTML {p['html_ms']} ms) | {p['weasyprint_alone_ms']} ms | "
        f"{p['ratio_pdf_to_weasyprint']}× |"
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["city", "province", "smoke"], default="city")
    parser.add_argument("--repeat", type=int, default=None, help="requests per page")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--fresh", action="store_true", help="drop and seed the database again")
    args = parser.parse_args(argv)
    repeat = args.repeat or (3 if args.scale == "smoke" else 20)
    url = _database_url(args.scale)
    _create_database(url, fresh=args.fresh)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("PORTAL_ENV", "development")

    import django

    django.setup()
    import logging

    from django.core.management import call_command

    logging.getLogger("axes").setLevel(logging.WARNING)

    call_command("migrate", verbosity=0)
    from django.db import connections

    connections.close_all()  # the next connection takes the database's settings as migrated
    out = args.out or Path(f"benchmark-{args.scale}.json")
    result = run(scale=args.scale, repeat=repeat, years=args.years, out=out, separate_database=True)
    print(render_table(result))
    print(f"wrote {out} and {out.with_suffix('.md')}")


if __name__ == "__main__":
    main()
