from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")
    contributes = Contribution(
        panels="notifications.panels.home_panels",
        beat={
            # Deliveries a killed worker left behind are sent once their lease runs out.
            "notifications-dispatch": {
                "task": "notifications.dispatch_deliveries",
                "schedule": crontab(minute="*/5"),
            },
        },
    )
