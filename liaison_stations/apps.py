from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import RECORD_READERS


class LiaisonStationsConfig(AppConfig):
    name = "liaison_stations"
    verbose_name = _("Liaison stations")
    contributes = Contribution(
        nav=[NavItem(_("Stations"), "liaison_stations:index", RECORD_READERS, order=30)],
        panels="liaison_stations.panels.home_panels",
        report_sections="liaison_stations.report_sections.sections",
        beat={
            # Duty tomorrow (sent the afternoon before) and referral deadlines.
            "stations-reminders": {
                "task": "liaison_stations.sweep_reminders",
                "schedule": crontab(hour=16, minute=0),
            },
            # Next month's rota, a month ahead: daily, so a missed night or a station
            # opened mid-month is caught up the next night; a made month is left alone.
            "stations-rota": {
                "task": "liaison_stations.generate_rota",
                "schedule": crontab(hour=1, minute=30),
            },
        },
        demo="liaison_stations.demo.seed",
        demo_order=30,  # the rota and the receptions need the deputies
    )

    def ready(self) -> None:
        # The deputies registry asks us about stations (deputies/station_directory.py).
        from deputies import station_directory
        from liaison_stations.deputy_stations import DeputyStations

        station_directory.register(DeputyStations())
