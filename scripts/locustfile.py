"""Mixed traffic from the portal's five roles and the public, for scripts/loadtest.sh.

Each simulated person signs in through the login form (its CSRF token and cookie, a
Referer as a browser sends over HTTPS), then reads and writes as that role does:

- staff and leaders read the home page, the task lists, the inbox and open tasks;
- unit contacts open a task and submit this month's progress report;
- secretaries open a past duty day and log it with one constituent received;
- deputies read their home page, suggestions and stations;
- the public (no login) open a station's page /s/<code>/ and leave an opinion.

What each one works on comes from PLAN (scripts/loadtest_data.py plan), so no two
simulated people edit the same row. Every written text carries LOADTEST_MARK, by which
scripts/loadtest_data.py verify finds the rows afterwards; a write counts as done only
when the portal answered it with its redirect (302), so "POST …" successes in locust's
statistics are the rows that must be there.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import uuid
from html.parser import HTMLParser
from pathlib import Path

from locust import HttpUser, between, events, task

PLAN = json.loads(Path(os.environ["LOADTEST_PLAN"]).read_text(encoding="utf-8"))
MARK = os.environ["LOADTEST_MARK"]
CAFILE = os.environ.get("LOADTEST_CAFILE") or True
# A form's inputs that a browser would not send as they stand.
SKIPPED_TYPES = {"submit", "button", "file", "image", "reset"}
rng = random.Random()  # nosec B311: picks pages to visit, not a secret
# Writes the portal answered with its redirect, by kind (what must be in the database).
WRITTEN: dict[str, int] = {}


@events.quitting.add_listener
def write_result(environment, **kwargs) -> None:
    """The run's figures, after the last user has finished its task (--stop-timeout):
    locust's CSV is written earlier and may miss the writes still under way then."""
    total = environment.stats.total
    result = {
        "requests": total.num_requests,
        "errors": total.num_failures,
        "requests_per_second": round(total.total_rps, 1),
        "p50_ms": total.get_response_time_percentile(0.5),
        "p95_ms": total.get_response_time_percentile(0.95),
        "p99_ms": total.get_response_time_percentile(0.99),
        "written": WRITTEN,
    }
    Path(os.environ["LOADTEST_RESULT"]).write_text(json.dumps(result))


class Forms(HTMLParser):
    """The forms of a page: action, method and what the browser would send."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text: list[str] = []

    @property
    def current(self) -> list:
        return self.forms[-1]["fields"] if self.forms else []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": []}
            )
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in SKIPPED_TYPES or (kind in {"checkbox", "radio"} and "checked" not in a):
                return
            self.current.append((a["name"], a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "select" and a.get("name"):
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select is not None:
            self._options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and a.get("name"):
            self._textarea, self._text = a["name"], []

    def handle_data(self, data):
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._options if selected] or [
                v for v, _ in self._options[:1]
            ]
            self.current.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.current.append((self._textarea, "".join(self._text).strip("\n")))
            self._textarea = None


def post_form(html: str, has_field: str) -> dict[str, list[str]]:
    """The fields of the page's POST form that has ``has_field``, as a browser sends them."""
    parser = Forms()
    parser.feed(html)
    for form in parser.forms:
        names = {name for name, _ in form["fields"]}
        if form["method"].lower() == "post" and has_field in names:
            fields: dict[str, list[str]] = {}
            for name, value in form["fields"]:
                fields.setdefault(name, []).append(value)
            return fields
    raise ValueError(f"no POST form with {has_field!r} on the page")


class Portal(HttpUser):
    abstract = True
    wait_time = between(0.5, 2.0)

    def on_start(self) -> None:
        self.client.verify = CAFILE

    def referer(self, path: str) -> dict[str, str]:
        # Django checks the Referer of every HTTPS POST against the host.
        return {"Referer": self.host.rstrip("/") + path}

    def sign_in(self, username: str) -> None:
        page = self.client.get("/accounts/login/", name="login form")
        fields = post_form(page.text, "username")
        fields.update(username=[username], password=[PLAN["password"]])
        with self.client.post(
            "/accounts/login/",
            data=fields,
            headers=self.referer("/accounts/login/"),
            allow_redirects=False,
            name="POST login",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in as {username}: {response.status_code}")

    def post_write(self, path: str, fields: dict, kind: str) -> None:
        """A write that must end in the portal's redirect; anything else is a failure."""
        with self.client.post(
            path,
            data=fields,
            headers=self.referer(path),
            allow_redirects=False,
            name=f"POST {kind}",
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"{response.status_code}: {response.text[:300]!r}")
            else:
                WRITTEN[kind] = WRITTEN.get(kind, 0) + 1

    def read(self, path: str, name: str) -> None:
        self.client.get(path, name=name)


class Staff(Portal):
    fixed_count = 3

    def on_start(self) -> None:
        super().on_start()
        self.sign_in(rng.choice(PLAN["staff"]))

    @task(2)
    def home(self):
        self.read("/", "/ (staff)")

    @task(3)
    def task_lists(self):
        self.read("/tasks/", "/tasks/ (staff)")

    @task(3)
    def open_task(self):
        self.read(f"/tasks/{rng.choice(PLAN['tasks'])}/", "/tasks/<pk>/")

    @task(1)
    def inbox(self):
        self.read("/inbox/", "/inbox/ (staff)")

    @task(1)
    def stations(self):
        self.read("/stations/", "/stations/ (staff)")


class Leader(Portal):
    fixed_count = 2

    def on_start(self) -> None:
        super().on_start()
        self.sign_in(rng.choice(PLAN["leader"]))

    @task(3)
    def home(self):
        self.read("/", "/ (leader)")

    @task(2)
    def task_lists(self):
        self.read("/tasks/", "/tasks/ (leader)")

    @task(2)
    def open_task(self):
        self.read(f"/tasks/{rng.choice(PLAN['tasks'])}/", "/tasks/<pk>/")


unit_slots = itertools.count()
secretary_slots = itertools.count()


class UnitContact(Portal):
    fixed_count = 5

    def on_start(self) -> None:
        super().on_start()
        self.slot = PLAN["units"][next(unit_slots) % len(PLAN["units"])]
        self.sign_in(self.slot["username"])

    @task(2)
    def home(self):
        self.read("/", "/ (unit)")

    @task(1)
    def open_task(self):
        self.read(f"/tasks/{rng.choice(self.slot['tasks'])}/", "/tasks/<pk>/ (unit)")

    @task(2)
    def report(self):
        pk = rng.choice(self.slot["tasks"])
        path = f"/tasks/{pk}/report/"
        page = self.client.get(path, name="/tasks/<pk>/report/")
        fields = post_form(page.text, "percent")
        fields.update(text=[f"{MARK} {uuid.uuid4().hex} 本月按计划推进。"], percent=["60"])
        self.post_write(path, fields, "progress report")


class Secretary(Portal):
    fixed_count = 3

    def on_start(self) -> None:
        super().on_start()
        self.slot = PLAN["secretaries"][next(secretary_slots) % len(PLAN["secretaries"])]
        self.sign_in(self.slot["username"])

    @task(2)
    def home(self):
        self.read("/", "/ (secretary)")

    @task(1)
    def today(self):
        self.read("/stations/today/", "/stations/today/")

    @task(1)
    def receptions(self):
        self.read("/stations/receptions/", "/stations/receptions/")

    @task(2)
    def log_duty(self):
        path = f"/stations/shifts/{rng.choice(self.slot['shifts'])}/log/"
        page = self.client.get(path, name="/stations/shifts/<pk>/log/")
        fields = post_form(page.text, "hours")
        fields.update(
            {
                "notes": [f"{MARK} 接待正常。"],
                "r-TOTAL_FORMS": ["1"],
                "r-0-channel": ["station"],
                "r-0-category": ["roads"],
                "r-0-village": ["黄茅园村"],
                "r-0-content": [f"{MARK} {uuid.uuid4().hex} 村道需要修补。"],
                "r-0-handling": ["answered"],
                "r-0-answer": ["已当场答复。"],
            }
        )
        self.post_write(path, fields, "duty log")


class Deputy(Portal):
    fixed_count = 2

    def on_start(self) -> None:
        super().on_start()
        self.sign_in(rng.choice(PLAN["deputy"]))

    @task(2)
    def home(self):
        self.read("/", "/ (deputy)")

    @task(1)
    def suggestions(self):
        self.read("/suggestions/", "/suggestions/ (deputy)")

    @task(1)
    def stations(self):
        self.read("/stations/", "/stations/ (deputy)")


class Public(Portal):
    """Visitors scanning a station's QR code: no login."""

    fixed_count = 5

    @task(4)
    def station_page(self):
        self.read(f"/s/{rng.choice(PLAN['stations'])}/", "/s/<code>/")

    @task(1)
    def opinion(self):
        path = f"/s/{rng.choice(PLAN['stations'])}/"
        page = self.client.get(path, name="/s/<code>/")
        fields = post_form(page.text, "content")
        fields.update(
            content=[f"{MARK} {uuid.uuid4().hex} 希望村里路灯早日修好。"],
            village=["金中村"],
            consent=["on"],
        )
        self.post_write(path, fields, "opinion")
