"""A gunicorn worker's start (congress_portal/warm.py): every template of the project
compiles, and what the worker loaded is frozen out of the collector's full passes."""

import gc

from congress_portal.warm import project_template_names, warm, warm_and_freeze


def test_every_project_template_compiles_before_the_first_request():
    names = project_template_names()
    assert "base.html" in names and "tasks/index.html" in names
    assert not any("django/contrib" in name or "admin/" in name for name in names)
    assert warm() == len(names)


def test_the_worker_freezes_what_it_loaded():
    try:
        warm_and_freeze()
        assert gc.get_freeze_count() > 10_000
    finally:
        gc.unfreeze()
    assert gc.get_freeze_count() == 0
