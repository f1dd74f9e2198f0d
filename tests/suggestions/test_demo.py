"""The demo city's suggestions (seeded once per session, tests/conftest.py demo_city):
every state, many from receptions, late ones, the one re-handled, every unit contact's
unit handed at least one; one record entry per deputy; and /suggestions/ at demo scale
within its query budget. Marked ``city``: run once, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from deputies.models import Activity
from handovers.models import Handover
from liaison_stations.models import Reception
from organisation.models import Unit, User
from organisation.roles import Role
from suggestions.demo import seed
from suggestions.models import Suggestion

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]


def test_a_year_in_every_state_at_every_level():
    statuses = set(Suggestion.objects.values_list("status", flat=True))
    assert statuses == set(Suggestion.Status.values)
    assert set(Suggestion.objects.values_list("level", flat=True)) == {"city", "county", "township"}
    assert Suggestion.objects.count() >= 400
    # Receptions linked to a suggestion (the livelihood demo links others to proposals).
    linked = Reception.objects.filter(
        follow_up_type=ContentType.objects.get_for_model(Suggestion), follow_up_id__isnull=False
    )
    assert linked.count() >= 150
    assert set(linked.values_list("handling", flat=True)) == {Reception.Handling.SUGGESTION}
    assert Suggestion.objects.filter(reception__isnull=False).count() == linked.count()
    today = timezone.localdate()
    late = Handover.objects.filter(
        kind="suggestion", state__in=Handover.WITH_UNIT, due_on__lt=today
    )
    assert late.count() >= 10
    rehandled = Handover.objects.get(
        kind="suggestion", round=2, title="关于加快大埠至黄金街道路硬化的建议"
    )
    assert rehandled.steps.filter(action="rated", rating="unsatisfied").count() == 1
    assert (rehandled.state, rehandled.rating) == ("closed", "basic")
    # Others were re-handled too, some still with the unit, some closed 不满意 for good.
    again = Handover.objects.filter(kind="suggestion", round=2)
    assert again.filter(state=Handover.State.RETURNED).exists() or again.count() >= 5
    assert again.filter(rating="unsatisfied", state="closed").exists()
    for handover in again[:20]:
        assert [s.action for s in handover.steps.all()][:4] == [
            "handed",
            "answered",
            "rated",
            "returned",
        ]


def test_every_unit_contacts_unit_is_handed_a_suggestion():
    units = Unit.objects.filter(contacts__role=Role.UNIT, contacts__is_active=True).distinct()
    bare = units.exclude(Q(handovers__kind="suggestion") | Q(assists__handover__kind="suggestion"))
    # Only the units oversight's demo gives a contact after the suggestions are seeded:
    # the four bodies a standing committee reviews, the two departments 靖州 questions
    # and 市住建局 (rectification items of the environmental inspection).
    assert set(bare.values_list("name", flat=True)) == {
        "怀化市住房和城乡建设局",
        "怀化市人民政府",
        "怀化市监察委员会",
        "怀化市中级人民法院",
        "怀化市人民检察院",
        "靖州苗族侗族自治县公安局",
        "靖州苗族侗族自治县市场监督管理局",
    }
    kinds = set(Unit.objects.filter(handovers__kind="suggestion").values_list("kind", flat=True))
    assert {Unit.Kind.GOVERNMENT, Unit.Kind.TOWNSHIP} <= kinds


def test_one_record_entry_per_deputy_and_suggestion():
    twice = (
        Activity.objects.filter(source_key__startswith="suggestion:")
        .values("deputy", "source_key")
        .annotate(n=Count("pk"))
        .filter(n__gt=1)
    )
    assert not twice.exists()
    submitted = Suggestion.objects.exclude(status="draft")
    assert Activity.objects.filter(kind="suggestion").count() == submitted.count() + (
        Suggestion.signatures.rel.related_model.objects.filter(confirmed_on__isnull=False)
        .exclude(suggestion__status="draft")
        .count()
    )


def test_the_demo_deputy_has_work_waiting():
    me = User.objects.get(username="deputy")
    assert Suggestion.objects.filter(
        lead__user=me, status="draft", reception__isnull=False
    ).exists()
    assert Handover.objects.filter(rater=me, state="answered").exists()


def test_seeding_again_does_nothing(django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        seed()


@pytest.mark.parametrize("person", ["staff", "secretary", "deputy", "county-unit"])
def test_the_list_at_demo_scale_keeps_its_budget(person, client, django_assert_max_num_queries):
    client.force_login(User.objects.get(username=person))
    url = reverse("suggestions:index")
    client.get(url)  # warm the caches (sessions, content types)
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["page"].paginator.count > 0
