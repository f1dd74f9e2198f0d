"""Regions, units and the people who sign in.

Regions form a tree (city → county-level area → township or street). Each region
stores a materialised ``path`` of the codes from the root, so "this county and
everything in it" is one indexed ``path__startswith`` filter at any depth and any
size, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Value
from django.db.models.functions import Coalesce, NullIf
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from organisation.access import region_q, unit_q
from organisation.roles import SEES_EVERYTHING, Role


class RegionQuerySet(models.QuerySet):
    def visible_to(self, user) -> RegionQuerySet:
        return self.filter(region_q(user, ""))

    def choices_for(self, user) -> RegionQuerySet:
        """The counties and townships a user may pick in a filter or form: the city itself
        would only mean "all", which the empty choice already says."""
        return self.visible_to(user).exclude(level=Region.Level.CITY)

    def within(self, region: Region) -> RegionQuerySet:
        """This region and every region inside it."""
        return self.filter(path__startswith=region.path)


class UnitQuerySet(models.QuerySet):
    def visible_to(self, user) -> UnitQuerySet:
        return self.filter(unit_q(user, "pk") | region_q(user, "region"))


class Region(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County-level area")
        TOWNSHIP = "township", _("Township or street")

    code = models.CharField(_("code"), max_length=12, unique=True)
    name = models.CharField(_("name"), max_length=60)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # "/4312/431224/431224101/": the codes from the root, each followed by "/".
    path = models.CharField(_("path"), max_length=255, unique=True, editable=False)
    history = HistoricalRecords()

    objects = RegionQuerySet.as_manager()

    class Meta:
        ordering = ["path"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name

    def contains(self, other: Region | None) -> bool:
        """True when ``other`` is this region or lies inside it."""
        return other is not None and other.path.startswith(self.path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1


class Unit(models.Model):
    """A body that work is handed to: a department, a committee body, a county congress,
    a township or street government."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("Government department")
        COMMITTEE = "committee", _("Committee body")
        CONGRESS = "congress", _("County or township congress")
        TOWNSHIP = "township", _("Township or street government")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=80, unique=True)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
    )
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    objects = UnitQuerySet.as_manager()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")

    def __str__(self) -> str:
        return self.short_name or self.name

    @staticmethod
    def label(prefix: str = "") -> Coalesce:
        """``__str__`` as an SQL expression on the unit at ``prefix`` (``"lead_unit__"``),
        for pages that read units as values rather than instances."""
        return Coalesce(NullIf(f"{prefix}short_name", Value("")), f"{prefix}name")


class PortalUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        extra_fields.setdefault("role", Role.ADMIN)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """A person who signs in. Their role and scope decide what they see.

    - a secretary's scope is a region (a county secretary sees every township in it);
    - a unit contact's scope is a unit;
    - a deputy's scope is their own deputy record (``deputies.Deputy.user``).
    """

    # The narrowest role by default: an account someone forgot to set up sees its own
    # records only, never the whole city.
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.DEPUTY)
    full_name = models.CharField(_("full name"), max_length=40, blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_(
            "For a secretary: the township or county they keep. For office staff and "
            "leaders: the city (or the province) whose records they see; none: everything."
        ),
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contacts",
        help_text=_("For a unit contact: the unit they report for."),
    )
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = PortalUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                name="secretary_has_region",
                condition=~models.Q(role="secretary") | models.Q(region__isnull=False),
            ),
            models.CheckConstraint(
                name="unit_contact_has_unit",
                condition=~models.Q(role="unit") | models.Q(unit__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.name_from(self.full_name, self.first_name, self.last_name, self.username)

    @staticmethod
    def name_from(full_name: str, first_name: str, last_name: str, username: str) -> str:
        """``display_name`` from the columns it reads (a page reading users as values)."""
        return full_name or f"{first_name} {last_name}".strip() or username

    @property
    def sees_everything(self) -> bool:
        """Administrators, and staff and leaders naming no region, see every record of
        every module; staff and leaders naming a region see that region's (``REGION_BOUND``)."""
        if not self.is_authenticated:
            return False
        if self.is_superuser or self.role == Role.ADMIN:
            return True
        return self.role in SEES_EVERYTHING and self.region_id is None
