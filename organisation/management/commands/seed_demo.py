"""Load the demo city. Safe to run again: every module ensures its data, and a module
whose demo data is already there returns at once."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
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
        if connection.vendor == "postgresql":
            # The planner's statistics for the rows just written: without them it takes a
            # freshly seeded table of thousands for a table of one, and a page can nest
            # loops over whole tables for minutes before autovacuum gets round to it.
            started = time.monotonic()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            self.stdout.write(f"  ANALYZE: {time.monotonic() - started:.1f} s")
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready. Accounts (password: {DEMO_PASSWORD}):")
        )
        for user in accounts:
            scope = user.region or user.unit or ""
            self.stdout.write(f"  {user.username:<13} {user.get_role_display()} {scope}")
