from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution


class BallotsConfig(AppConfig):
    """The secret ballot: sessions, rolls, check-ins, polls, codes, ballots, tallies and
    receipts (``ballots/services.py``). It knows nothing of what is voted on."""

    name = "ballots"
    verbose_name = _("Secret ballots")
    contributes = Contribution()
