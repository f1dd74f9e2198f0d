"""Measure the station pages on the current database (run it after ``seed_demo``):
query count and server time of /stations/ (as staff and as the 黄茅园镇 secretary) and of
the public page /s/<code>/, each the median of several requests.

    python manage.py measure_stations --repeat 5
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from liaison_stations.models import Station
from organisation.models import User


class Command(BaseCommand):
    help = "Query count and server time of /stations/ and /s/<code>/ on this database."

    def add_arguments(self, parser):
        parser.add_argument("--repeat", type=int, default=5)

    def handle(self, *args, repeat: int, **options):
        station = Station.objects.filter(code__endswith="-01", region__name="黄茅园镇").first()
        if station is None:
            raise CommandError("No demo data: run manage.py seed_demo first.")
        pages = [
            ("staff", reverse("liaison_stations:index")),
            ("secretary", reverse("liaison_stations:index")),
            (None, reverse("public_stations:station", args=[station.code])),
        ]
        self.stdout.write(
            f"stations={Station.objects.count()} "
            f"receptions={station.receptions.model.objects.count()}"
        )
        for username, url in pages:
            client = Client(HTTP_HOST="127.0.0.1")
            if username:
                client.force_login(User.objects.get(username=username))
            client.get(url)  # warm caches (templates, translations, connection)
            times, counts = [], []
            for _i in range(repeat):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise CommandError(f"{url} answered {response.status_code}")
                counts.append(len(queries))
            self.stdout.write(
                f"{url:<24} as {username or 'anonymous':<10} queries={max(counts):>3} "
                f"median={statistics.median(times):7.1f} ms  max={max(times):7.1f} ms"
            )
