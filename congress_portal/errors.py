"""The one shape of a domain error, and the one way a view shows it.

Each domain keeps its own subclass (``TasksError``, ``StationError``, ``DeputyError``, …)
so a view catches only its domain's errors; all of them carry:

- a message that is translated and safe to show to the user;
- ``field``: the form input the rule is about, so the message stands beside it
  (``None``: a message for the whole form);
- ``conflict``: someone else changed the record meanwhile and nothing was saved, a
  409 rather than a 400. A domain declares its conflict flavour as a subclass with
  ``conflict = True`` (``TasksConflict``), or passes ``conflict=True``;
- ``forbidden``: the person may not do this at all (403).

A view turns it into the message beside its field on the re-rendered form with
:func:`show_error`, or, for an action without a form, a message with :func:`show_message`;
both return the status to answer with.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpRequest


class DomainError(Exception):
    conflict: bool = False
    #: The person may not do this at all (403), e.g. reveal a number outside their scope.
    forbidden: bool = False

    def __init__(
        self,
        message: object,
        *,
        field: str | None = None,
        conflict: bool | None = None,
        forbidden: bool | None = None,
    ):
        # ``message`` may be lazy (gettext_lazy); it is made text in the active language here.
        super().__init__(message)
        self.message = str(message)
        self.field = field
        if conflict is not None:
            self.conflict = conflict
        if forbidden is not None:
            self.forbidden = forbidden

    @property
    def status(self) -> int:
        """The HTTP status a page answers with: 409 for a conflict, 400 otherwise."""
        if self.forbidden:
            return 403
        return 409 if self.conflict else 400


def show_error(form: forms.BaseForm, error: DomainError) -> int:
    """Put ``error`` beside its field on ``form`` (or above the form when it names no
    field the form has) and return the status to re-render the form with."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)
    return error.status


def show_message(request: HttpRequest, error: DomainError) -> int:
    """For an action without a form: the message at the top of the page that is
    rendered next, and the status to render it with."""
    messages.error(request, error.message)
    return error.status
