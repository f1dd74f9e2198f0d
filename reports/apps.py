from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import OFFICE


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    contributes = Contribution(
        nav=[NavItem(_("Reports"), "reports:index", OFFICE, order=80)],
        panels="reports.panels.home_panels",
        beat={
            # On the 1st, the previous month's progress report.
            "reports-monthly": {
                "task": "reports.monthly_report",
                "schedule": crontab(day_of_month=1, hour=2, minute=0),
            },
        },
    )

    def ready(self) -> None:
        import logging

        from reports import checks  # noqa: F401  (registers the CJK font check)

        # WeasyPrint logs every layout step at INFO; a worker's log should show our lines.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
