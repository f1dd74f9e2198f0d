from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import RECORD_READERS


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = _("Deputies")
    contributes = Contribution(
        nav=[NavItem(_("Deputies"), "deputies:index", RECORD_READERS, order=20)],
        demo="deputies.demo.seed",
        demo_order=20,  # deputies sit for the organisation's regions
    )
