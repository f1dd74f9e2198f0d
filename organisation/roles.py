"""The roles of DESIGN.md and the named groups of them, defined here once.

Kept apart from the models so any module can import them. Every check of "who may"
reads a group from this file: ``role_required(OFFICE)``, ``has_role(user, RECORD_KEEPERS)``,
a navigation item's ``roles``, ``user.role in SEES_EVERYTHING``. A module that needs a
new group adds it here, with a line saying who is in it and what it opens; a test
(``tests/organisation/test_roles.py``) finds any group spelled out elsewhere and lists,
for each role, the pages it may open.

Administrators pass every check made through ``has_role``/``role_required`` whether or
not a group names them.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("Committee office staff")
    LEADER = "leader", _("Committee leader")
    UNIT = "unit", _("Unit contact")
    SECRETARY = "secretary", _("Congress secretary")
    DEPUTY = "deputy", _("Deputy")
    ADMIN = "admin", _("Administrator")


RoleGroup = frozenset[str]

#: Every signed-in person (the home page, notifications).
EVERYONE: RoleGroup = frozenset(Role)

#: The committee office: staff and leaders. Reports, imports, supervision visits, the
#: quarterly assessment; staff and leaders are also the weekly digest's readers.
OFFICE: RoleGroup = frozenset({Role.STAFF, Role.LEADER})

#: Who sees every record of every module, whatever its region or unit — an office
#: account only while it names no region (see REGION_BOUND).
SEES_EVERYTHING: RoleGroup = OFFICE | {Role.ADMIN}

#: Who see only the records of their region and of every region inside it when their
#: account names a region: the secretaries (always one), and the office. In a province
#: (one database, the cities under one province region) a city's staff and leaders name
#: their city and see it; the province office — staff and leaders whose region is the
#: province — sees all its cities. An office account naming no region sees everything.
#: ``organisation.access.region_q``/``unit_q`` apply it.
REGION_BOUND: RoleGroup = OFFICE | {Role.SECRETARY}

#: Who work on the task lists: the office and the unit contacts the tasks are handed to.
TASK_WORKERS: RoleGroup = OFFICE | {Role.UNIT}

#: Who read deputy and station records: the office, the secretaries (their region's)
#: and the deputies (their own record, their stations).
RECORD_READERS: RoleGroup = OFFICE | {Role.SECRETARY, Role.DEPUTY}

#: Who keep deputy and station records — edit a deputy or a station, rate the 十有
#: standard, keep the rota and the duty logs, handle receptions: the office staff and
#: the secretaries of the region (leaders read, they do not edit).
RECORD_KEEPERS: RoleGroup = frozenset({Role.STAFF, Role.SECRETARY})

#: Who oversee the regions: the organisation tree, the stations' overviews (today,
#: the standard, statistics, the online opinions), station photos, a deputy's full phone number.
REGION_READERS: RoleGroup = OFFICE | {Role.SECRETARY}

#: Who follow the receptions referred to units, and read the units: the region readers
#: and the unit contacts.
REFERRAL_READERS: RoleGroup = REGION_READERS | {Role.UNIT}

#: Who open the inbox of handovers 交办 (/inbox/): the unit contacts (their unit's), the
#: office (every unit's, with counts and the late units) and the secretaries (their
#: region's).
INBOX_READERS: RoleGroup = REGION_READERS | {Role.UNIT}

#: Who keep deputy suggestions — draft one from a reception, screen, hand over: the staff
#: (the city congress's) and the secretaries (their county's or township's). Everyone
#: opens /suggestions/, scoped: the deputies their own, the unit contacts those handed
#: to their unit.
SUGGESTION_KEEPERS: RoleGroup = frozenset({Role.STAFF, Role.SECRETARY})

#: Who open the livelihood-project pages /livelihood/ (民生实事): the office (every
#: congress's), the secretaries (their region's) and the deputies (the proposals of the
#: congresses they sit in, and their own). The result page of a session is public.
LIVELIHOOD_READERS: RoleGroup = OFFICE | {Role.SECRETARY, Role.DEPUTY}

#: Who open the chosen projects being carried out (/livelihood/projects/): the readers
#: above and the unit contacts (their unit's projects only); the unit contacts and the
#: offices report progress and add milestones.
LIVELIHOOD_PROJECT_READERS: RoleGroup = LIVELIHOOD_READERS | {Role.UNIT}
LIVELIHOOD_PROJECT_WORKERS: RoleGroup = frozenset({Role.STAFF, Role.SECRETARY, Role.UNIT})
#: Who get a main-navigation entry straight to the chosen projects (the readers reach them
#: from /livelihood/): the unit contacts.
LIVELIHOOD_PROJECT_UNITS: RoleGroup = frozenset({Role.UNIT})

#: Who keep livelihood projects — propose for constituents or the government, turn a
#: reception into a proposal, screen into the reserve pool, set fund pools, fix candidate
#: lists: the staff (the city congress's) and the secretaries (their county's or township's).
LIVELIHOOD_KEEPERS: RoleGroup = frozenset({Role.STAFF, Role.SECRETARY})

#: Who run congress sessions and their secret ballots (/ballots/): the staff (the city
#: congress's sessions) and the secretaries (their township's or county's); which
#: session is whose is ``ballots.models.run_by_q``. Administrators run every one.
BALLOT_RUNNERS: RoleGroup = frozenset({Role.STAFF, Role.SECRETARY})

#: Who write an instruction 批示 / 督办 on a task (handed to its lead unit, rated by
#: whoever wrote it): the committee leaders (and administrators).
INSTRUCTORS: RoleGroup = frozenset({Role.LEADER})

#: Who open the oversight pages /oversight/ (监督: the plan, the cases, their problem
#: lists and review opinions): the office (every congress's) and the secretaries (their
#: county's or township's cases).
OVERSIGHT_READERS: RoleGroup = OFFICE | {Role.SECRETARY}

#: Who keep oversight cases — plan, record a case, its stages, documents, participants,
#: problems, second visits and review opinions, verify and close: the staff (the city
#: congress's) and the secretaries (their county's); leaders read.
OVERSIGHT_KEEPERS: RoleGroup = frozenset({Role.STAFF, Role.SECRETARY})

#: Who open one rectification item or review opinion: the oversight readers and the unit
#: contacts (what is handed to their unit; they answer it in /inbox/).
OVERSIGHT_ITEM_READERS: RoleGroup = OVERSIGHT_READERS | {Role.UNIT}
