"""The home page is made of panels, one or more per module: "what needs me today".

Each module that has something to say on the home page names a function here that
takes the request and returns a list of :class:`Panel`. The list is explicit, so
there is one place to read what the home page is made of.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

PANEL_PROVIDERS = [
    "tasks.panels.home_panels",
    "liaison_stations.panels.home_panels",
    "notifications.panels.home_panels",
]


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


def panels_for(request) -> list[Panel]:
    panels: list[Panel] = []
    for dotted in PANEL_PROVIDERS:
        panels.extend(import_string(dotted)(request))
    return sorted(panels, key=lambda p: p.order)
