from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        import logging

        from reports import checks  # noqa: F401  (registers the CJK font check)

        # WeasyPrint logs every layout step at INFO; a worker's log should show our lines.
        logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
