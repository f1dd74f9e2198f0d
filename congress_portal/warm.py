"""A web worker made ready before its first request, its long-lived objects kept out of
the garbage collector's way.

What a worker loads on its first requests (the project's templates, the URL patterns,
the translation catalogues) lives as long as the process. Python's full collection
(generation 2) walks every tracked object each time it runs, about once every 10 to 15
requests of a list page here, and with those objects it took 100 to 110 ms of a request
whose median is 60 ms (``/inbox/`` as staff, ``scripts/benchmark.py``): the slow
requests of the benchmark's p95. ``gc.freeze()`` moves the objects alive at that moment
to a permanent generation no collection walks; a full collection then takes about 11 ms.

gunicorn calls :func:`warm_and_freeze` in each worker once the application is loaded
(``deploy/gunicorn.conf.py``), and the benchmark does the same before it measures.
"""

from __future__ import annotations

import gc
import logging
from pathlib import Path

from django.conf import settings
from django.template import TemplateSyntaxError, engines
from django.urls import get_resolver
from django.utils import translation

logger = logging.getLogger(__name__)


def project_template_names() -> list[str]:
    """The names of the project's own templates (its apps' and ``templates/``), not the
    installed packages' ones."""
    base = Path(settings.BASE_DIR).resolve()
    engine = engines["django"].engine
    names = set()
    for loader in engine.template_loaders:
        for directory in loader.get_dirs() if hasattr(loader, "get_dirs") else []:
            root = Path(directory).resolve()
            if base not in root.parents or ".venv" in root.parts or not root.is_dir():
                continue
            names.update(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())
    return sorted(name for name in names if name.endswith((".html", ".txt", ".svg")))


def warm() -> int:
    """Compile every project template into the cached loader, build the URL patterns and
    load each language's catalogue; returns the number of templates."""
    engine = engines["django"]
    count = 0
    for name in project_template_names():
        try:
            engine.get_template(name)
        except TemplateSyntaxError:  # the page will say so itself; the worker still starts
            logger.exception("template %s does not compile", name)
            continue
        count += 1
    get_resolver().url_patterns  # noqa: B018  (builds and caches them)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Congress work portal")
    return count


def warm_and_freeze() -> int:
    """:func:`warm`, then collect once and freeze what is left."""
    count = warm()
    gc.collect()
    gc.freeze()
    return count
