"""No two apps of the portal import each other.

Every Python file of every project app (and of the project package) is read with
``ast``; each import, those inside functions included, is mapped to the app it names.
An app may use another one, never the other way round as well: where two modules need
each other, one of them offers a hook that the other fills in (see DEVELOPING.md,
"Apps depend one way").

Migrations are left out: their links to other apps are ``dependencies`` on a schema
state, not code; a past migration cannot be rewritten without breaking the databases it
has run on, and a migration that did import another app's code would still run in the
migration's own order. ``congress_portal/urls.py`` is the one file that may import
every app: it is where the apps are put together.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PROJECT = "congress_portal"
EXCEPTED = {ROOT / PROJECT / "urls.py"}


def project_packages() -> set[str]:
    """The installed apps that live in this repository, and the project package."""
    own = {
        config.name.split(".")[0]
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT.resolve())
    }
    return own | {PROJECT}


def imported_modules(tree: ast.AST, package: str) -> set[str]:
    """The absolute names of the modules a file imports, anywhere in the file."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: within the file's own package
                names.add(package)
            elif node.module:
                names.add(node.module)
    return names


def python_files(package: str) -> list[Path]:
    return [
        path
        for path in sorted((ROOT / package).rglob("*.py"))
        if "migrations" not in path.relative_to(ROOT).parts and path not in EXCEPTED
    ]


def import_graph() -> dict[str, dict[str, list[str]]]:
    """app -> app it imports -> the files (and lines) that do."""
    packages = project_packages()
    graph: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for package in packages:
        for path in python_files(package):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for module in imported_modules(tree, package):
                target = module.split(".")[0]
                if target in packages and target != package:
                    graph[package][target].append(str(path.relative_to(ROOT)))
    return graph


def test_the_graph_sees_imports_inside_functions():
    tree = ast.parse("def f():\n    from liaison_stations.models import Station\n")
    assert imported_modules(tree, "deputies") == {"liaison_stations.models"}


def test_the_graph_knows_the_apps():
    assert {"organisation", "deputies", "liaison_stations", PROJECT} <= project_packages()
    graph = import_graph()
    assert "organisation" in graph["deputies"]  # the scan finds what is certainly there


def test_no_two_apps_import_each_other():
    graph = import_graph()
    mutual = sorted(
        f"{a} ⇄ {b}: {sorted(set(graph[a][b]))} / {sorted(set(graph[b][a]))}"
        for a in graph
        for b in graph[a]
        if a < b and a in graph.get(b, {})
    )
    assert not mutual, "\n".join(mutual)
