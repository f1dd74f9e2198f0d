"""A sweep and its delivery in a process of its own, for ``test_kill.py`` to SIGKILL.

    python -c "import django; django.setup(); from tests.notifications.killable import main; main('2025-03-24')"

(DJANGO_SETTINGS_MODULE set) runs the daily task and station sweeps for that day on the database named by
DATABASE_URL, without REDIS_URL, so each batch of deliveries is dispatched in-process
right after its commit. The e-mail channel is replaced (through the ordinary
``NOTIFICATION_CHANNELS`` setting) by :class:`LoggedChannel`, which appends one line per
message to the file named by KILL_TEST_LOG instead of mailing; with KILL_TEST_HANG_AFTER
set it blocks before the message after that many, leaving its claimed deliveries
``sending`` until the test kills the process.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

from notifications.channels import EmailChannel

CHANNELS = ["tests.notifications.killable.LoggedChannel"]


class LoggedChannel(EmailChannel):
    """The e-mail channel, "sending" by appending ``user_id key`` to a file."""

    sent_here = 0

    def send(self, notification) -> None:
        log = Path(os.environ["KILL_TEST_LOG"])
        hang_after = os.environ.get("KILL_TEST_HANG_AFTER")
        if hang_after and LoggedChannel.sent_here >= int(hang_after):
            Path(f"{log}.hanging").touch()
            while True:  # a mail server that never answers; the test kills us here
                time.sleep(1)
        with log.open("a") as out:
            out.write(f"{notification.user_id} {notification.key}\n")
            out.flush()
            os.fsync(out.fileno())
        LoggedChannel.sent_here += 1


def main(day: str) -> None:
    from django.conf import settings

    settings.NOTIFICATION_CHANNELS = CHANNELS
    from liaison_stations import reminders as station_reminders
    from tasks import reminders as task_reminders

    today = dt.date.fromisoformat(day)
    task_reminders.sweep(today=today)
    station_reminders.sweep(today=today)
