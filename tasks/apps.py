from celery.schedules import crontab
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import TASK_WORKERS


class TasksConfig(AppConfig):
    name = "tasks"
    verbose_name = _("Responsibility task lists")
    contributes = Contribution(
        nav=[NavItem(_("Task lists"), "tasks:index", TASK_WORKERS, order=10)],
        panels="tasks.panels.home_panels",
        report_sections="tasks.report_sections.sections",
        beat={
            # Progress due (20th–25th), deadlines 7/1 days, overdue, Monday 周调度.
            "tasks-reminders": {
                "task": "tasks.sweep_reminders",
                "schedule": crontab(hour=8, minute=0),
            },
            # Excel imports previewed but never confirmed, older than a day.
            "tasks-import-files": {
                "task": "tasks.purge_import_files",
                "schedule": crontab(hour=3, minute=30),
            },
        },
        demo="tasks.demo.seed",
        demo_order=40,  # the lists are handed to the organisation's units
    )

    def ready(self) -> None:
        # A supervision finding is a handover 交办 (handovers/kinds.py): the unit answers
        # with evidence, the office's staff verify it, red escalates to the visit's leader.
        from handovers.kinds import CheckedBy, HandoverKind, register

        register(
            HandoverKind(
                name="follow_up",
                label=_("Supervision finding"),
                checked_by=CheckedBy.OFFICE,
                default_months=1,  # when no due date is given; no extensions
                answer_needs_files=True,  # the unit shows how it was resolved
                on_change="tasks.services.supervision.follow_up_changed",
                subject_url="tasks.services.supervision.follow_up_url",
            )
        )
        # A leader's instruction 批示 on a task goes to its lead unit, due by the next
        # report day; the leader who wrote it rates the answer (不满意 sends it back once).
        register(
            HandoverKind(
                name="instruction",
                label=_("Leader's instruction"),
                checked_by=CheckedBy.RATING,
                default_months=1,
                subject_url="tasks.services.instructions.instruction_url",
            )
        )
