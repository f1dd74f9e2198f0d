"""Load the demo city. Safe to run again: every module ensures its data, and a module
whose demo data is already there returns at once."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from organisation.demo import DEMO_PASSWORD

# Each module's demo seeder, in dependency order.
SEEDERS = [
    "organisation.demo.seed",
    "deputies.demo.seed",
    "liaison_stations.demo.seed",
    "tasks.demo.seed",
]


class Command(BaseCommand):
    help = "Load the demo organisation, accounts and module data (never in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run in production mode (PORTAL_ENV=production)."
            )
        accounts = []
        for dotted in SEEDERS:
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
            self.stdout.write(f"  {user.username:<10} {user.get_role_display()} {scope}")
