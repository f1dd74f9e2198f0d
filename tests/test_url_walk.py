"""Every URL of the project, as every role and as an anonymous visitor, with malformed
parameters: the answer is a 4xx or a normal page, never a 500.

The patterns are read from the URL resolver, so a new module's pages are walked as soon
as they are routed: their path arguments are replaced by malformed values of the
converter's kind (ids out of range, over-long codes) with no list to update. Pages whose
records the role tests know how to reach (``url_of``) are walked a second time on a real
record, with malformed query strings and form bodies.
"""

from __future__ import annotations

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter

from organisation.roles import Role
from tests.liaison_stations.conftest import places  # noqa: F401  (fixture)
from tests.liaison_stations.test_photos import photos  # noqa: F401  (fixture)
from tests.organisation.test_roles import PERSON, url_of  # noqa: F401  (fixture)
from tests.reports.test_views import done_report  # noqa: F401  (fixture)
from tests.tasks.conftest import task  # noqa: F401  (fixture)
from tests.tasks.test_permissions import objects  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

# Django's own admin is not ours to walk; logging out would end the walk's session.
SKIP_NAMESPACES = {"admin"}
SKIP_NAMES = {"logout"}

# Values a path argument takes that no record has: beyond PostgreSQL's integer, zero,
# and an over-long or odd code.
BAD_INTS = ["0", "2147483648", "99999999999999999999"]
BAD_STRS = ["x" * 300, "%E4%B8%AD", "-"]

# Malformed query strings and form bodies: impossible months and dates, unknown
# choices, non-numeric and huge ids and pages, over-long text.
JUNK = {
    "page": "-1",
    "list": "1.5",
    "year": "abc",
    "quarter": "9",
    "month": "0000-01",
    "date": "2025-02-30",
    "day": "9999-99-99",
    "region": "not-a-region",
    "level": "galaxy",
    "kind": "zzz",
    "status": "unknown",
    "group": "99999999999999999999",
    "station": "abc",
    "unit": "-5",
    "aspect": "²",
    "leader": "x",
    "row": "abc",
    "version": "abc",
    "pk": "abc",
    "action": "explode",
    "percent": "1e309",
    "q": "查" * 5000,
    "next": "https://evil.example/",
}
MORE_JUNK = [
    JUNK,
    {"page": "99999999999", "month": "9999-12", "year": "-1", "list": "abc", "row": "-1"},
    {"page": "abc", "month": "2025-13", "list": " ", "row": "99999999999999999999"},
]


def walk(resolvers=None, namespace: str = "") -> list[tuple[str, URLPattern]]:
    found = []
    for entry in (resolvers or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            if inner in SKIP_NAMESPACES:
                continue
            found += walk(entry, f"{namespace}{inner}:" if inner else namespace)
        elif isinstance(entry, URLPattern) and entry.name and entry.name not in SKIP_NAMES:
            found.append((f"{namespace}{entry.name}", entry))
    return found


def malformed_paths(name: str, pattern: URLPattern) -> list[str]:
    """The path of ``name`` once per malformed value, for each argument in turn."""
    converters = pattern.pattern.converters
    if not converters:
        return []
    good = {arg: "1" if isinstance(c, IntConverter) else "a" for arg, c in converters.items()}
    paths = []
    for arg, converter in converters.items():
        for bad in BAD_INTS if isinstance(converter, IntConverter) else BAD_STRS:
            kwargs = good | {arg: bad}
            try:
                paths.append(reverse(name, kwargs=kwargs))
            except Exception:  # the converter refuses the value: the URL cannot be asked
                continue
    return paths


def test_the_walk_reaches_every_module():
    names = {name for name, _pattern in walk()}
    assert len(names) > 60
    for module in ("tasks:", "deputies:", "liaison_stations:", "public_stations:", "reports:"):
        assert any(n.startswith(module) for n in names), module


@pytest.mark.parametrize("role", [None, *PERSON], ids=lambda r: str(r or "anonymous"))
def test_no_url_answers_500_to_malformed_input(
    world,
    client,
    as_user,
    url_of,  # noqa: F811
    places,  # noqa: F811
    role,
):
    if role is not None:
        client = as_user(world.people[PERSON[role]])
    client.raise_request_exception = False
    failures = []

    def ask(method: str, path: str, data: dict | None = None) -> None:
        response = getattr(client, method)(path, data or {})
        if response.status_code >= 500:
            failures.append((method, path[:80], str(data)[:60], response.status_code))

    patterns = walk()
    for name, pattern in patterns:
        for path in malformed_paths(name, pattern):
            ask("get", path)
            ask("post", path, JUNK)
    for name, pattern in patterns:
        if name.startswith("public_stations:") and "code" in pattern.pattern.converters:
            path = reverse(name, kwargs={"code": places["home"].code})
        else:
            try:
                path = url_of(name, role or Role.STAFF)
            except Exception:  # a page with arguments the role tests do not reach
                continue
        for junk in MORE_JUNK:
            ask("get", path, junk)
        ask("post", path, JUNK)
    assert failures == [], "\n".join(map(str, failures))
