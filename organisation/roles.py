"""The roles of DESIGN.md. Kept apart from the models so any module can import them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Committee office staff")
    LEADER = "leader", _("Committee leader")
    UNIT = "unit", _("Unit contact")
    SECRETARY = "secretary", _("Congress secretary")
    DEPUTY = "deputy", _("Deputy")
    ADMIN = "admin", _("Administrator")
