"""Measure /tasks/ on the current database: SQL queries and server time per request.

    python manage.py measure_tasks_page                # the largest list, as user "staff"
    python manage.py measure_tasks_page --runs 50 --user unit

The request goes through the whole Django stack (middleware, view, templates) with the
test client, in this process, so the time is the server's time without the network.
"""

from __future__ import annotations

import statistics
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisation.models import User
from tasks.models import TaskList


class Command(BaseCommand):
    help = "Query count and server time of /tasks/ for one list."

    def add_arguments(self, parser):
        parser.add_argument("--user", default="staff", help="username to sign in as")
        parser.add_argument("--list", type=int, help="task list id (default: the largest)")
        parser.add_argument("--runs", type=int, default=20)

    def handle(self, *args, **options):
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"no user {options['user']!r}: run seed_demo first")
        lists = TaskList.objects.annotate(n=Count("tasks"))
        task_list = (
            lists.filter(pk=options["list"]).first()
            if options["list"]
            else lists.order_by("-n", "-year").first()
        )
        if task_list is None:
            raise CommandError("no task list: run seed_demo first")
        client = Client(HTTP_HOST="localhost")
        client.force_login(user)
        url = reverse("tasks:index", query={"list": task_list.pk})
        response = client.get(url)  # warm-up: templates, translations, connection
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        shown = response.content.decode().count('class="task-row"')
        timings = []
        for _run in range(options["runs"]):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
        self.stdout.write(
            f"/tasks/ list {task_list.pk} ({task_list.n} tasks, {shown} shown) as {user.username} "
            f"on {connection.vendor}: {len(queries)} queries; server time over "
            f"{options['runs']} runs: median {statistics.median(timings):.1f} ms, "
            f"min {min(timings):.1f} ms, max {max(timings):.1f} ms"
        )
