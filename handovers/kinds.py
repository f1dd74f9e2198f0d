"""The kinds of work that go through a handover, each with its own few rules.

The handover mechanism (state machine, history, deadlines, colours, reminders, the
inbox) is written once, in this app. A module whose work is handed to units — deputy
suggestions, station referrals, supervision follow-up items, later rectification items
and livelihood follow-ups — registers one :class:`HandoverKind` in its
``AppConfig.ready()``; this app never imports those modules::

    handovers.kinds.register(HandoverKind(
        name="suggestion",
        label=_("Deputy suggestion"),
        checked_by=CheckedBy.RATING,
        answer_classes=True,
        max_months=6,
        on_change="suggestions.services.handover_changed",
    ))

A kind whose hook refuses some of the handover page's steps says so with ``offers``
(see :class:`Offer`): the page then shows those steps' forms to nobody, and says where
the kind takes them instead.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from handovers.models import Handover


class CheckedBy(models.TextChoices):
    """Who checks an answer before the handover closes."""

    OFFICE = "office", _("The office verifies the answer")
    RATING = "rating", _("The person it concerns rates the answer")


@dataclass(frozen=True)
class HandoverKind:
    #: Stored on each handover ("suggestion", "referral", "follow_up").
    name: str
    label: str | Promise
    checked_by: str = CheckedBy.OFFICE
    #: Whether the main unit answers with a result class A, B or C.
    answer_classes: bool = False
    #: The deadline, in months after the handover, when none is given.
    default_months: int = 1
    #: The furthest deadline an extension may reach, in months after the handover;
    #: ``None``: the office may not extend it.
    max_months: int | None = None
    #: The deadline of the one re-handling, in months after it is sent back.
    rehandling_months: int = 1
    #: Whether an answer must come with at least one evidence file (a follow-up item's).
    answer_needs_files: bool = False
    #: Dotted path of ``f(handover, action)`` called inside the transaction after every
    #: step, so the module keeps its own record in step (a referral's result, a
    #: suggestion's state, a follow-up item's closing date).
    on_change: str = ""
    #: Dotted path of ``f(handover) -> str``: the address of the work the handover is about.
    subject_url: str = ""
    #: Dotted path of ``f(handover) -> Offer``: the steps of the handover's page the kind
    #: allows now and where it takes the others (a rectification item's first report is
    #: verified by the second unannounced visit, on the case page). Every step when empty.
    offers: str = ""

    def changed(self, handover: Handover, action: str) -> None:
        if self.on_change:
            hook: Callable[[Handover, str], None] = import_string(self.on_change)
            hook(handover, action)

    def url_of_subject(self, handover: Handover) -> str:
        if not self.subject_url:
            return ""
        return import_string(self.subject_url)(handover)

    def offered(self, handover: Handover) -> Offer:
        if not self.offers:
            return EVERY_STEP
        return import_string(self.offers)(handover)


# --- What a kind offers on a handover's page -------------------------------------------------

#: The steps of a handover's page, each a form posting to its own URL (``views.FORMS``).
STEPS = frozenset({"answer", "opinion", "verify", "rate", "extend", "close", "solved"})


def _known(steps: Iterable[str]) -> frozenset[str]:
    steps = frozenset(steps)
    if not steps <= STEPS:
        raise ValueError(f"unknown handover steps: {sorted(steps - STEPS)}")
    return steps


@dataclass(frozen=True)
class Elsewhere:
    """A step the kind takes on a page of its own, not on the handover's: the line shown
    in that step's place to whoever would take it (the office, for ``verify``)."""

    #: The step of the handover's page it stands for.
    step: str
    text: str | Promise
    url: str = ""
    link: str | Promise = ""

    def __post_init__(self) -> None:
        _known([self.step])


@dataclass(frozen=True)
class Offer:
    """The steps a kind allows on one handover now, and where it takes the others.

    Only what the kind's own hook would refuse is left out; who may take a step, in
    which state and by when is the mechanism's to judge (``views.abilities``), so an
    offered step still shows only to whom may take it. A step left out is neither
    shown nor taken from the handover's page."""

    steps: frozenset[str] = STEPS
    elsewhere: tuple[Elsewhere, ...] = ()

    def __post_init__(self) -> None:
        _known(self.steps)

    @classmethod
    def without(cls, *steps: str, elsewhere: Iterable[Elsewhere] = ()) -> Offer:
        return cls(steps=STEPS - _known(steps), elsewhere=tuple(elsewhere))


EVERY_STEP = Offer()


_KINDS: dict[str, HandoverKind] = {}


def register(kind: HandoverKind) -> None:
    """Register a kind (from an ``AppConfig.ready()``); registering it again replaces it."""
    _KINDS[kind.name] = kind


def kind_named(name: str) -> HandoverKind:
    try:
        return _KINDS[name]
    except KeyError:
        # A handover whose module was uninstalled still shows and closes, by office check.
        return HandoverKind(name=name, label=name)


def registered() -> list[HandoverKind]:
    return sorted(_KINDS.values(), key=lambda kind: str(kind.label))


# --- Other work on the inbox ---------------------------------------------------------------

_INBOX_PANELS: list[str] = []


def register_inbox_panels(path: str) -> None:
    """Work a unit does that is not a handover (a livelihood project it carries out) shows
    on the inbox too: ``path`` names ``f(user) -> list[dashboard.panels.Panel]``, registered
    from the module's ``AppConfig.ready()``."""
    if path not in _INBOX_PANELS:
        _INBOX_PANELS.append(path)


def inbox_panels(user) -> list:
    panels = [panel for path in _INBOX_PANELS for panel in import_string(path)(user)]
    return sorted(panels, key=lambda panel: panel.order)
