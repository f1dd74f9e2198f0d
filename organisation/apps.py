from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import REGION_READERS


class OrganisationConfig(AppConfig):
    name = "organisation"
    verbose_name = _("Organisation")
    contributes = Contribution(
        nav=[NavItem(_("Organisation"), "organisation:regions", REGION_READERS, order=90)],
        demo="organisation.demo.seed",
        demo_order=10,  # regions, units and accounts: every other module's data needs them
    )

    def ready(self) -> None:
        # Signing in stamps the session's write time for the idle clock.
        import congress_portal.idle_sessions  # noqa: F401
