"""Load the demo city. Safe to run again: every module ensures its data, and a module
whose demo data is already there returns at once."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from congress_portal.contributions import contributions
from organisation.demo import DEMO_PASSWORD


def seeders() -> list[str]:
    """Each module's demo seeder (``Contribution(demo=..., demo_order=...)`` on its
    AppConfig), in dependency order: by ``demo_order``, then in ``INSTALLED_APPS`` order."""
    declared = sorted((c for c in contributions() if c.demo), key=lambda c: c.demo_order)
    return [c.demo for c in declared if c.demo]


class Command(BaseCommand):
    help = "Load the demo organisation, accounts and module data (never in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run in production mode (PORTAL_ENV=production)."
            )
        accounts = []
        for dotted in seeders():
            started = time.monotonic()
            with transaction.atomic():
                result = import_string(dotted)(stdout=self.stdout) or {}
            accounts.extend(result.get("accounts", []))
            self.stdout.write(f"  {dotted}: {time.monotonic() - started:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Accounts (password: {DEMO_PASSWORD}):")
        )
        for user in accounts:
            scope = user.region or user.unit or ""
            self.stdout.write(f"  {user.username:<13} {user.get_role_display()} {scope}")
