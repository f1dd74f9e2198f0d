from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import INBOX_READERS


class HandoversConfig(AppConfig):
    """交办 → 办理 → 评价, once for every kind of work handed to a unit (kinds.py)."""

    name = "handovers"
    verbose_name = _("Handovers")
    contributes = Contribution(
        nav=[NavItem(_("Inbox"), "handovers:index", INBOX_READERS, order=5)],
    )
