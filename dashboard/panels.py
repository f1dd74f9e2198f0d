"""The home page is made of panels, one or more per module: "what needs me today".

Each module that has something to say on the home page names, on its ``AppConfig``
(``Contribution(panels="app.panels.home_panels")``, see
:mod:`congress_portal.contributions`), a function that takes the request and returns a
list of :class:`Panel`. Panels show by ``order``, then in ``INSTALLED_APPS`` order.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string

from congress_portal.contributions import contributions


@dataclass
class Panel:
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


def panels_for(request) -> list[Panel]:
    panels: list[Panel] = []
    for contribution in contributions():
        if contribution.panels:
            panels.extend(import_string(contribution.panels)(request))
    return sorted(panels, key=lambda p: p.order)
