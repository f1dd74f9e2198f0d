"""Every view of the task lists, for every person of the fixture world and for anonymous.

403 for a role that may not open the page; 404 for a record outside the person's scope
(the outsider is a contact of 市司法局, which has nothing to do with the task).
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tasks.evidence import evidence_attach
from tasks.services.supervision import follow_up_add, supervision_visit_record
from tests.tasks.factories import MilestoneFactory, ProgressReportFactory

pytestmark = pytest.mark.django_db

PEOPLE = [
    "admin",
    "staff",
    "leader",
    "unit_contact",
    "secretary",
    "other_secretary",
    "county_secretary",
    "deputy",
    "outsider",
]
ROLE_OF = {
    "admin": "admin",
    "staff": "staff",
    "leader": "leader",
    "unit_contact": "unit",
    "outsider": "unit",
    "secretary": "secretary",
    "other_secretary": "secretary",
    "county_secretary": "secretary",
    "deputy": "deputy",
}
OFFICE_UNIT = {"staff", "leader", "unit"}

# name, method, roles allowed, status when allowed, scoped (the outsider gets 404)
VIEWS = [
    ("index", "get", OFFICE_UNIT, 200, False),
    ("export", "get", OFFICE_UNIT, 200, False),
    ("template", "get", {"staff"}, 200, False),
    ("import", "get", {"staff"}, 200, False),
    ("import_confirm", "post", {"staff"}, 400, False),
    ("list_copy", "get", {"staff"}, 200, False),
    ("task_create", "get", {"staff"}, 200, False),
    ("task", "get", OFFICE_UNIT, 200, True),
    ("task_edit", "get", {"staff"}, 200, False),
    ("milestone_add", "post", {"staff"}, 302, False),
    ("milestone_done", "post", {"staff"}, 302, False),
    ("report_submit", "get", {"unit"}, 200, True),
    ("reviews", "get", {"staff"}, 200, False),
    ("report_review", "post", {"staff"}, 302, False),
    ("evidence", "get", OFFICE_UNIT, 200, True),
    ("supervision", "get", OFFICE_UNIT, 200, False),
    ("visit_create", "get", {"staff", "leader"}, 200, False),
    ("visit", "get", {"staff", "leader"}, 200, False),
    ("assessment", "get", {"staff", "leader"}, 200, False),
    ("assessment_score", "post", {"staff"}, 302, False),
    ("assessment_confirm", "post", {"leader"}, 302, False),
]

# Administrators pass every role check, except where the page needs what they lack: the
# report form is a unit's, and an administrator belongs to no unit (403 with the reason).
ADMIN_REFUSED = {"report_submit"}


@pytest.fixture
def objects(task, world):
    today = timezone.localdate()
    report = ProgressReportFactory(task=task, submitted_by=world.unit_contact)
    evidence = evidence_attach(
        task=task,
        files=[SimpleUploadedFile("纪要.pdf", b"%PDF-1.4\n", content_type="application/pdf")],
        by=world.unit_contact,
        report=report,
    )[0]
    visit = supervision_visit_record(
        leader=world.leader, visited_on=today, places="洪江市", tasks=[task], by=world.leader
    )
    item = follow_up_add(
        visit=visit, task=task, unit=world.unit, description="台账不规范", due_date=today
    )
    return {
        "task": task,
        "list": task.task_list,
        "milestone": MilestoneFactory(task=task),
        "report": report,
        "evidence": evidence,
        "visit": visit,
        "item": item,
    }


def url_for(name, objects):
    args = {
        "list_copy": objects["list"].pk,
        "task_create": objects["list"].pk,
        "task": objects["task"].pk,
        "task_edit": objects["task"].pk,
        "milestone_add": objects["task"].pk,
        "milestone_done": objects["milestone"].pk,
        "report_submit": objects["task"].pk,
        "report_review": objects["report"].pk,
        "evidence": objects["evidence"].pk,
        "visit": objects["visit"].pk,
    }
    return reverse(f"tasks:{name}", args=[args[name]] if name in args else [])


def post_data(name, objects):
    if name in ("assessment_confirm", "assessment_score"):
        return {"list": objects["list"].pk, "year": 2025, "quarter": 1}
    return {}


@pytest.mark.parametrize("person", PEOPLE)
@pytest.mark.parametrize(
    ("name", "method", "roles", "ok", "scoped"), VIEWS, ids=[v[0] for v in VIEWS]
)
def test_view_by_role(world, as_user, objects, person, name, method, roles, ok, scoped):
    user = world.people[person]
    role = ROLE_OF[person]
    client = as_user(user)
    url = url_for(name, objects)
    response = getattr(client, method)(url, post_data(name, objects))
    if role in roles or (role == "admin" and name not in ADMIN_REFUSED):
        expected = 404 if (scoped and person == "outsider") else ok
    else:
        expected = 403
    assert response.status_code == expected, (person, name)


@pytest.mark.parametrize(
    ("name", "method"), [(v[0], v[1]) for v in VIEWS], ids=[v[0] for v in VIEWS]
)
def test_anonymous_goes_to_login(client, objects, name, method):
    response = getattr(client, method)(url_for(name, objects))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unit_contact_sees_only_tasks_their_unit_leads_or_helps(world, as_user, task):
    from tests.tasks.factories import TaskFactory

    helping = TaskFactory(task_list=task.task_list, aspect=task.aspect, lead_unit=world.other_unit)
    helping.cooperating_units.add(world.unit)
    other = TaskFactory(task_list=task.task_list, aspect=task.aspect, lead_unit=world.other_unit)
    response = as_user(world.unit_contact).get(reverse("tasks:index"))
    shown = [t.pk for g in response.context["groups"] for t in g.tasks]
    assert sorted(shown) == sorted([task.pk, helping.pk])
    assert (
        as_user(world.unit_contact).get(reverse("tasks:task", args=[other.pk])).status_code == 404
    )
    outsider_view = as_user(world.outsider).get(reverse("tasks:index"))
    assert [t.pk for g in outsider_view.context["groups"] for t in g.tasks] == [
        helping.pk,
        other.pk,
    ]


def test_evidence_of_another_units_task_is_not_served(world, as_user, objects):
    url = reverse("tasks:evidence", args=[objects["evidence"].pk])
    response = as_user(world.unit_contact).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert as_user(world.outsider).get(url).status_code == 404
    assert as_user(world.secretary).get(url).status_code == 403
