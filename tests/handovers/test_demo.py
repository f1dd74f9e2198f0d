"""The demo city's handovers (seeded once per session): every unit contact opens an
inbox holding work from at least two modules (the four reviewed bodies hold review
opinions). Marked ``city``: run once, on PostgreSQL."""

from __future__ import annotations

import pytest
from django.urls import reverse

from handovers.models import Handover
from organisation.models import User
from organisation.roles import Role

pytestmark = [pytest.mark.django_db, pytest.mark.city, pytest.mark.usefixtures("demo_city")]


def test_every_unit_contacts_inbox_holds_work_from_two_modules():
    contacts = User.objects.filter(role=Role.UNIT, is_active=True).select_related("unit")
    assert contacts.count() > 300
    thin = {}
    for contact in contacts:
        kinds = set(
            Handover.objects.for_unit(contact.unit_id).values_list("kind", flat=True).distinct()
        )
        if len(kinds) < 2:
            thin[str(contact.unit)] = sorted(kinds)
    # The four bodies a standing committee reviews (oversight's demo) hold its review
    # opinions and nothing else; every other unit has work from two modules.
    reviewed = ("市政府", "市监委", "市中院", "市检察院")
    assert thin == {body: ["review_opinion"] for body in reviewed}


@pytest.mark.parametrize("username", ["unit", "county-unit", "township-unit"])
def test_the_named_unit_contacts_see_two_kinds_in_their_inbox(client, username):
    client.force_login(User.objects.get(username=username))
    html = client.get(reverse("handovers:index"), {"state": ""}).content.decode()
    shown = [label for label in ("代表建议", "群众诉求转办", "督导发现问题整改") if label in html]
    assert len(shown) >= 2, (username, shown)
