"""The one shape of a domain error, and the one way a view shows it.

Each domain keeps its own subclass (``TasksError``, ``StationError``, ``DeputyError``, …)
so a view catches only its domain's errors; all of them carry:

- a message that is translated and safe to show to the user;
- ``field``: the form input the rule is about, so the message stands beside it
  (``None``: a message for the whole form);
- ``conflict``: someone else changed the record meanwhile and nothing was saved, a
  409 rather than a 400. A domain declares its conflict flavour as a subclass with
  ``conflict = True`` (``TasksConflict``), or passes ``conflict=True``.
"""

from __future__ import annotations

from django import forms


class DomainError(Exception):
    conflict: bool = False

    def __init__(self, message: object, *, field: str | None = None, conflict: bool | None = None):
        # ``message`` may be lazy (gettext_lazy); it is made text in the active language here.
        super().__init__(message)
        self.message = str(message)
        self.field = field
        if conflict is not None:
            self.conflict = conflict

    @property
    def status(self) -> int:
        """The HTTP status a page answers with: 409 for a conflict, 400 otherwise."""
        return 409 if self.conflict else 400


def show_error(form: forms.BaseForm, error: DomainError) -> int:
    """Put ``error`` beside its field on ``form`` (or above the form when it names no
    field the form has) and return the status to re-render the form with."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    return error.status
