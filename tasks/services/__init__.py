"""Every write to the task lists. Views, imports, the demo and jobs all call these.

One module per sub-domain, each function ``<noun>_<verb>(*, ...)``:

- ``lists``: task lists (import from a spreadsheet, copy into a year), tasks, milestones;
- ``progress``: the units' monthly progress reports and the staff's review of them;
- ``supervision``: leaders' supervision visits and their follow-up items;
- ``assessment``: quarterly scores and the leaders' confirmation.

They all raise the one error of this domain, defined here.
"""

from __future__ import annotations

from congress_portal.errors import DomainError


class TasksError(DomainError):
    """A rule of the task lists was broken; the message is translated and safe to show.

    ``field`` names the input the rule is about, so a form can show the message next to it.
    """


class TasksConflict(TasksError):
    """Someone else changed the record meanwhile: nothing was saved (a 409 for a page)."""

    conflict = True
