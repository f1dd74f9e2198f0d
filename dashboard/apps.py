from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import EVERYONE


class DashboardConfig(AppConfig):
    name = "dashboard"
    verbose_name = _("Dashboard")
    contributes = Contribution(nav=[NavItem(_("Home"), "home", EVERYONE, order=0)])
