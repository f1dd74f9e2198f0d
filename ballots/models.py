"""The secret ballot: congress sessions, their roll, check-ins, polls, one-time codes,
ballots, paper tallies and receipts (see the module docstring of ``ballots.services``).

Secrecy is in the schema. ``Code`` and ``Ballot`` have no history table and no time;
a ``Ballot``'s primary key is its random receipt and it references only its poll; a
code row never says which ballot spent it; nothing stores who drew which slip.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from deputies.models import Deputy, Level
from organisation.models import Region
from organisation.roles import Role

#: The levels whose congresses hold sessions in the portal.
SESSION_LEVELS = [Level.TOWNSHIP, Level.COUNTY, Level.CITY]


class CongressSessionQuerySet(models.QuerySet):
    def visible_to(self, user) -> CongressSessionQuerySet:
        """The sessions ``user`` may run (see ``ballots.services.may_run``)."""
        return self.filter(run_by_q(user))


def _runs(user) -> tuple[bool, str | None, int | None]:
    """(runs everything, the level it runs, the region it runs) for ``user``."""
    if not user.is_authenticated:
        return False, None, None
    if user.role == Role.ADMIN:
        return True, None, None
    if user.role == Role.STAFF:
        return False, Level.CITY, None
    if user.role == Role.SECRETARY and user.region_id:
        level = {Region.Level.TOWNSHIP: Level.TOWNSHIP, Region.Level.COUNTY: Level.COUNTY}.get(
            user.region.level
        )
        if level:
            return False, level, user.region_id
    return False, None, None


def run_by_q(user) -> Q:
    """The sessions ``user`` runs: a township secretary their township's, a county
    secretary their county's county-level sessions, staff the city's, administrators all."""
    everything, level, region = _runs(user)
    if everything:
        return Q()
    if level is None:
        return Q(pk__in=[])
    return Q(level=level, region_id=region) if region else Q(level=level)


def runs(user, *, level: str, region_id: int) -> bool:
    """Whether ``user`` runs a session of ``level`` in ``region_id`` (saved or not)."""
    everything, run_level, run_region = _runs(user)
    if everything:
        return True
    return run_level == level and (run_region is None or run_region == region_id)


class CongressSession(models.Model):
    """A session of a people's congress, e.g. 黄茅园镇七届人大四次会议, or a meeting of a
    city's or county's standing committee (``body``), e.g. 会同县十八届人大常委会第二十次会议:
    its roll is then the committee's members on its day, not the congress's deputies."""

    class Body(models.TextChoices):
        CONGRESS = "congress", _("Congress session")
        STANDING_COMMITTEE = "standing_committee", _("Standing committee meeting")

    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("congress session", "Planned")
        OPEN = "open", pgettext_lazy("congress session", "Open")
        CLOSED = "closed", pgettext_lazy("congress session", "Closed")

    name = models.CharField(_("name"), max_length=120)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="sessions"
    )
    level = models.CharField(
        _("level"), max_length=10, choices=[(lv.value, lv.label) for lv in SESSION_LEVELS]
    )
    date = models.DateField(_("date"))
    body = models.CharField(_("who votes"), max_length=20, choices=Body, default=Body.CONGRESS)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.PLANNED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = CongressSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-date", "name"]
        verbose_name = _("congress session")
        verbose_name_plural = _("congress sessions")
        indexes = [models.Index(fields=["region", "date"])]

    def __str__(self) -> str:
        return self.name


class RollEntry(models.Model):
    """A deputy on a session's roll, frozen when the session opens (a standing committee
    meeting's: its members, each a deputy)."""

    session = models.ForeignKey(
        CongressSession,
        verbose_name=pgettext_lazy("congress", "session"),
        on_delete=models.CASCADE,
        related_name="roll",
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("roll entry")
        verbose_name_plural = _("roll entries")
        constraints = [
            models.UniqueConstraint(fields=["session", "deputy"], name="roll_once_per_session")
        ]

    def __str__(self) -> str:
        return f"{self.session} · {self.deputy}"


class CheckIn(models.Model):
    """A deputy on the roll present at the session, or on leave 请假."""

    session = models.ForeignKey(
        CongressSession,
        verbose_name=pgettext_lazy("congress", "session"),
        on_delete=models.CASCADE,
        related_name="check_ins",
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name=_("deputy"), on_delete=models.PROTECT, related_name="session_check_ins"
    )
    on_leave = models.BooleanField(_("on leave"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [models.UniqueConstraint(fields=["session", "deputy"], name="check_in_once")]

    def __str__(self) -> str:
        return f"{self.session} · {self.deputy}"


class Poll(models.Model):
    class Method(models.TextChoices):
        EACH = "each", _("For, against or abstain on each option")
        CHOOSE = "choose", _("Choose up to the number of slots")
        RATE = "rate", _("Rate each option satisfied, basically satisfied or unsatisfied")

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("vote", "Draft")
        OPEN = "open", pgettext_lazy("vote", "Voting")
        CLOSED = "closed", pgettext_lazy("vote", "Closed")
        PUBLISHED = "published", pgettext_lazy("vote", "Published")

    session = models.ForeignKey(
        CongressSession,
        verbose_name=pgettext_lazy("congress", "session"),
        on_delete=models.CASCADE,
        related_name="polls",
    )
    title = models.CharField(_("title"), max_length=200)
    method = models.CharField(_("method"), max_length=10, choices=Method)
    slots = models.PositiveSmallIntegerField(_("slots"))
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.DRAFT)
    runoff_of = models.ForeignKey(
        "self",
        verbose_name=_("run-off of"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runoffs",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["session", "pk"]
        verbose_name = _("poll")
        verbose_name_plural = _("polls")

    def __str__(self) -> str:
        return self.title


class Option(models.Model):
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="options"
    )
    #: An opaque reference the caller chooses ("project:42"); ballots know nothing of it.
    key = models.CharField(_("key"), max_length=100)
    label = models.CharField(_("label"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["poll", "order", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [models.UniqueConstraint(fields=["poll", "key"], name="option_key_once")]

    def __str__(self) -> str:
        return self.label


class Code(models.Model):
    """A one-time voting code, stored only as its keyed hash. No history, no time, and
    nothing about the ballot it was spent on."""

    class State(models.TextChoices):
        UNUSED = "unused", _("Unused")
        SPENT = "spent", _("Spent")
        VOID = "void", _("Void")

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="codes"
    )
    hash = models.CharField(_("hash"), max_length=64, unique=True)
    state = models.CharField(_("state"), max_length=10, choices=State, default=State.UNUSED)
    is_spare = models.BooleanField(_("spare"), default=False)

    class Meta:
        verbose_name = pgettext_lazy("ballot", "code")
        verbose_name_plural = pgettext_lazy("ballot", "codes")

    def __str__(self) -> str:
        return f"{self.poll_id}:{self.state}"


class Ballot(models.Model):
    """One vote. Its key is the random receipt; it references its poll and nothing else:
    no code, no user, no address, no time. ``choices`` maps option ids (as text) to
    "yes", "no" or "abstain" (method "each"), to "yes" for each chosen option
    (method "choose") or to "satisfied", "basic", "unsatisfied" or "abstain" (method
    "rate")."""

    receipt = models.CharField(_("receipt"), max_length=16, primary_key=True)
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="ballots"
    )
    choices = models.JSONField(_("choices"), default=dict)

    class Meta:
        ordering = ["poll", "receipt"]
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")

    def __str__(self) -> str:
        return self.receipt


class PaperTally(models.Model):
    """The paper ballots of a poll, counted by one teller and confirmed by another.
    ``votes`` maps option keys to a number (method "choose") or to
    ``{"yes": n, "no": n, "abstain": n}`` (method "each") or
    ``{"satisfied": n, "basic": n, "unsatisfied": n, "abstain": n}`` (method "rate")."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.CASCADE, related_name="paper_tallies"
    )
    teller = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("teller"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    issued = models.PositiveIntegerField(_("ballots issued"))
    returned = models.PositiveIntegerField(_("ballots returned"))
    invalid = models.PositiveIntegerField(_("invalid ballots"))
    votes = models.JSONField(_("votes"), default=dict)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("paper tally", "confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["poll", "pk"]
        verbose_name = _("paper tally")
        verbose_name_plural = _("paper tallies")

    def __str__(self) -> str:
        return f"{self.poll} · {self.teller}"
