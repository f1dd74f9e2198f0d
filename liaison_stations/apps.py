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
            # Duty tomorrow, sent the afternoon before (a referral's deadline is the
            # handovers' sweep's, as every handover's).
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

        # Where the performance record's entries from stations link to.
        from deputies import record_sources
        from liaison_stations.deputy_stations import duty_log_links

        record_sources.register("duty_log", duty_log_links)
        record_sources.register("reception", record_sources.by_url("liaison_stations:reception"))

        # A reception referred to a unit is a handover 交办 (handovers/kinds.py): the
        # station's secretary checks the unit's answer, usually with the constituent.
        from handovers.kinds import CheckedBy, HandoverKind, register

        register(
            HandoverKind(
                name="referral",
                label=_("Referral from a station"),
                checked_by=CheckedBy.OFFICE,
                default_months=1,  # when no deadline is given; no extensions
                on_change="liaison_stations.services.referral_changed",
                subject_url="liaison_stations.services.referral_url",
            )
        )
