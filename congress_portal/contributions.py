"""What a module adds to the portal, declared once, on its ``AppConfig``.

A module names everything it contributes in its ``apps.py``::

    class TasksConfig(AppConfig):
        name = "tasks"
        contributes = Contribution(
            nav=[NavItem(_("Task lists"), "tasks:index", TASK_WORKERS, order=10)],
            panels="tasks.panels.home_panels",
            report_sections="tasks.report_sections.sections",
            beat={"tasks-reminders": {"task": "tasks.sweep_reminders", "schedule": ...}},
            demo="tasks.demo.seed",
            demo_order=40,
        )

and the hosts read the installed apps' declarations, in ``INSTALLED_APPS`` order, through
:func:`contributions`: the navigation (``organisation.navigation``), the home page
(``dashboard.panels``), the monthly PDF (``reports.sections``), the beat schedule
(``congress_portal.schedule``) and ``manage.py seed_demo``. Functions are named by dotted
path, so ``apps.py`` imports no models; the hosts import them when they are called.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.utils.functional import Promise


@dataclass(frozen=True)
class NavItem:
    """One entry of the main navigation."""

    label: str | Promise
    url_name: str
    roles: frozenset[str]
    """A group of :mod:`organisation.roles`; administrators see every item."""
    order: int = 100
    """Place in the bar: 0 home, 10 task lists, 20 deputies, 30 stations, 80 reports,
    90 organisation; a new module picks a number between."""


@dataclass(frozen=True)
class Contribution:
    """Everything one module adds to the portal; each part is optional."""

    nav: Sequence[NavItem] = ()
    panels: str | None = None
    """Dotted path of ``home_panels(request) -> list[dashboard.panels.Panel]``."""
    report_sections: str | None = None
    """Dotted path of ``sections(period) -> list[reports.sections.Section]``."""
    beat: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    """Periodic jobs, as Celery's ``beat_schedule`` entries: ``{key: {"task": registered
    name, "schedule": crontab(...)}}``. Each job must be safe to run twice."""
    demo: str | None = None
    """Dotted path of ``seed(stdout=None) -> dict``, the module's demo data."""
    demo_order: int = 100
    """When ``seed_demo`` runs ``demo``: after the modules whose data it needs (10
    organisation, 20 deputies, 30 stations, 40 task lists)."""


def contributions() -> list[Contribution]:
    """The installed apps' contributions, in ``INSTALLED_APPS`` order."""
    found = []
    for config in apps.get_app_configs():
        contribution = getattr(config, "contributes", None)
        if contribution is None:
            continue
        if not isinstance(contribution, Contribution):
            raise ImproperlyConfigured(
                f"{config.name}: AppConfig.contributes is not a Contribution."
            )
        found.append(contribution)
    return found
