"""Celery jobs of the deputies registry. They take ids, never objects."""

from __future__ import annotations

from celery import shared_task

from deputies.services import deputy_import_run


# Late acknowledgement: a worker killed midway leaves the message for another, which
# starts the import again (nothing of the first run was saved). No time limit of its
# own: the settings' (CELERY_TASK_TIME_LIMIT), which the job page also reads.
@shared_task(name="deputies.import_deputies", acks_late=True)
def import_deputies(job_id: int) -> str | None:
    """Import the workbook of a DeputyImportJob: every row, or none."""
    job = deputy_import_run(job_id=job_id)
    return job.status if job else None
