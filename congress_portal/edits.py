"""The one way to save an edit that two people may make.

The row has a ``version`` integer; the form carries the version the editor opened. The
UPDATE matches only while nobody else has saved in between, so the second of two
editors is told (a conflict, 409) instead of silently overwriting the first. On
PostgreSQL a concurrent UPDATE waits for the first transaction and then finds the
version moved on.

``.update()`` bypasses django-simple-history, so the change is recorded here, once,
with the acting user and a reason (the history's reason column holds 100 characters).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db.models import F, Model
from django.utils.translation import gettext as _

from congress_portal.errors import DomainError

M = TypeVar("M", bound=Model)
REASON_LENGTH = 100


def change_reason(*parts: str) -> str:
    """The parts that are not empty, joined and cut to the history's reason column."""
    text = "; ".join(p for p in parts if p)
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def stale_message() -> str:
    return _("Someone else changed this record while you were editing it. Reload and try again.")


def versioned_update(
    instance: M,
    *,
    version: int,
    values: dict[str, Any],
    error: Callable[..., DomainError],
    message: str | None = None,
) -> M:
    """UPDATE ``instance``'s row with ``values`` if it still has ``version``, bumping the
    version; raise ``error(message, conflict=True)`` (the domain's error, with
    :func:`stale_message` unless ``message`` is given) otherwise.
    Returns the instance re-read from the database."""
    model = type(instance)
    updated = model._default_manager.filter(pk=instance.pk, version=version).update(
        version=F("version") + 1, **values
    )
    if not updated:
        raise error(message or stale_message(), conflict=True)
    instance.refresh_from_db()
    return instance


def record_history(instance: Model, *, by: Any, reason: str = "") -> None:
    """One history entry for ``instance`` as it now is, by ``by``, with ``reason``."""
    type(instance).history.bulk_history_create(  # type: ignore[attr-defined]
        [instance],
        update=True,
        default_user=by,
        default_change_reason=change_reason(reason) or None,
    )
