"""Station referrals on the one handover mechanism: referring hands the reception to its
unit (in the same transaction), the unit answers on the handover's page, the station's
secretary verifies the answer, and that closes the reception; the unit contact's
notices open pages they can see."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from handovers.models import Handover, Step
from handovers.services import handover_answer, handover_verify
from liaison_stations.models import Reception
from liaison_stations.selectors import referral_of
from liaison_stations.services import StationError, reception_handle
from notifications.models import Notification
from tests.liaison_stations.factories import ReceptionFactory
from tests.liaison_stations.test_duty_log import ANSWERED, log_data

pytestmark = pytest.mark.django_db


def refer(reception, world, unit=None, due=None, **changes):
    values = {
        "handling": "referred",
        "referred_unit": unit or world.unit,
        "referral_due": due or timezone.localdate() + dt.timedelta(days=20),
    }
    return reception_handle(
        reception=reception,
        version=reception.version,
        by=world.secretary,
        **(values | changes),
    )


def refused(field, call, *args, **kwargs) -> StationError:
    with pytest.raises(StationError) as caught:
        call(*args, **kwargs)
    assert caught.value.field == field
    return caught.value


def test_referring_hands_it_over_and_the_unit_contact_opens_what_they_are_told(
    world, places, as_user
):
    reception = refer(places["receptions"]["home"], world)
    handover = referral_of(reception)
    assert handover.kind == "referral" and handover.state == Handover.State.HANDED
    assert (handover.unit, handover.region) == (world.unit, world.township)
    assert handover.due_on == reception.referral_due
    assert handover.handed_by == world.secretary
    assert handover.checked_by == "office"
    notice = Notification.objects.get(user=world.unit_contact)
    assert notice.url == f"/inbox/{handover.pk}/"
    client = as_user(world.unit_contact)
    page = client.get(notice.url)
    assert page.status_code == 200
    # The handover's subject is the reception's page, which the unit contact may read;
    # its station tabs (pages a unit contact may not open) are not shown.
    subject = reverse("liaison_stations:reception", args=[reception.pk])
    assert page.context["subject_url"] == subject
    reception_page = client.get(subject)
    assert reception_page.status_code == 200
    assert f'href="{reverse("liaison_stations:index")}"' not in reception_page.content.decode()
    # The open referrals are the unit contact's inbox, filtered to referrals.
    response = client.get(reverse("liaison_stations:referrals"))
    assert response.status_code == 302
    assert response.url == reverse("handovers:index", query={"kind": "referral"})
    assert client.get(response.url).status_code == 200
    # Another unit's contact reaches none of it.
    assert as_user(world.outsider).get(notice.url).status_code == 404


def test_a_referral_in_the_duty_log_is_handed_over_with_the_log(world, places, as_user):
    shift = places["shifts"]["home"]
    came = list(shift.deputies.all())
    referred = ANSWERED | {
        "handling": "referred",
        "referred_unit": world.unit.pk,
        "referral_due": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
    }
    response = as_user(world.secretary).post(
        reverse("liaison_stations:duty_log", args=[shift.pk]),
        log_data(shift, came, [ANSWERED, referred]),
    )
    assert response.status_code == 302
    reception = Reception.objects.get(shift=shift, handling="referred")
    handover = referral_of(reception)
    assert handover.unit == world.unit and handover.due_on == reception.referral_due


def test_only_the_verified_answer_closes_it_with_the_result_and_the_feedback(
    world, places, as_user
):
    reception = refer(places["receptions"]["home"], world)
    handover = referral_of(reception)
    client = as_user(world.secretary)
    # Ticking "closed" does not close a referral, nor does a result typed by the secretary.
    refused("close", refer, reception, world, close=True)
    form = client.get(reverse("liaison_stations:reception", args=[reception.pk])).context["form"]
    assert "close" not in form.fields and "result" not in form.fields
    handover_answer(handover=handover, by=world.unit_contact, text="已安排施工队修复路面")
    reception.refresh_from_db()
    assert reception.result == "已安排施工队修复路面" and reception.closed_on is None
    rows = client.get(reverse("liaison_stations:referrals")).context["page"]
    assert [(r.pk, r.answered, r.handover_id) for r in rows] == [(reception.pk, True, handover.pk)]
    page = client.get(reverse("liaison_stations:reception", args=[reception.pk]))
    assert page.context["may_verify"]
    handover_verify(handover=handover, by=world.secretary, accept=True, reason="回访群众，表示满意")
    reception.refresh_from_db()
    assert reception.closed_on == timezone.localdate()
    assert reception.feedback == "回访群众，表示满意"
    assert list(client.get(reverse("liaison_stations:referrals")).context["page"]) == []
    assert reception.history.first().history_user == world.secretary


def test_refused_answer_goes_back_and_the_deadline_follows(world, places):
    reception = refer(places["receptions"]["home"], world)
    handover = referral_of(reception)
    handover_answer(handover=handover, by=world.unit_contact, text="已转村委会")
    handover_verify(handover=handover, by=world.secretary, accept=False, reason="群众不认可")
    handover.refresh_from_db()
    reception.refresh_from_db()
    assert handover.state == Handover.State.RETURNED
    assert reception.referral_due == handover.due_on and reception.closed_on is None


def test_another_unit_while_unanswered_withdraws_the_first_and_hands_a_new_one(
    world, places, as_user
):
    reception = refer(places["receptions"]["home"], world)
    first = referral_of(reception)
    reception = refer(reception, world, unit=world.other_unit, due=reception.referral_due)
    first.refresh_from_db()
    assert first.state == Handover.State.CLOSED
    assert first.closure == Handover.Closure.WITHDRAWN
    assert "市司法局" in first.steps.get(action=Step.Action.CLOSED).text
    assert Notification.objects.filter(user=world.unit_contact, title__contains="撤回").exists()
    second = referral_of(reception)
    assert second.pk != first.pk and second.unit == world.other_unit
    assert reception.referred_unit == world.other_unit and reception.closed_on is None
    # The new unit has it; the first keeps only its withdrawn handover.
    assert as_user(world.outsider).get(second.get_absolute_url()).status_code == 200
    assert as_user(world.unit_contact).get(second.get_absolute_url()).status_code == 404


def test_no_longer_referred_withdraws_it(world, places):
    reception = refer(places["receptions"]["home"], world)
    handover = referral_of(reception)
    reception = reception_handle(
        reception=reception,
        version=reception.version,
        by=world.secretary,
        handling="answered",
        answer="当场解释政策",
        close=True,
    )
    handover.refresh_from_db()
    assert handover.closure == Handover.Closure.WITHDRAWN
    assert referral_of(reception) is None
    assert reception.closed_on == timezone.localdate() and reception.referred_unit is None


def test_once_answered_it_stays_with_its_unit_and_each_refusal_names_its_field(world, places):
    reception = refer(places["receptions"]["home"], world)
    handover = referral_of(reception)
    refused("referral_due", refer, reception, world, due=reception.referral_due + dt.timedelta(1))
    handover_answer(handover=handover, by=world.unit_contact, text="已答复")
    reception.refresh_from_db()
    refused("referred_unit", refer, reception, world, unit=world.other_unit)
    refused(
        "handling",
        reception_handle,
        reception=reception,
        version=reception.version,
        by=world.secretary,
        handling="pending",
    )
    handover.refresh_from_db()
    assert handover.state == Handover.State.ANSWERED and handover.unit == world.unit


def test_a_deadline_before_the_handover_is_refused_by_its_field(world, places):
    reception = places["receptions"]["home"]
    refused("referral_due", refer, reception, world, due=timezone.localdate() - dt.timedelta(1))
    reception.refresh_from_db()
    assert reception.handling == "pending" and not Handover.objects.exists()


def test_a_unit_contact_cannot_verify_and_a_secretary_of_elsewhere_cannot_either(world, places):
    from handovers.services import HandoverError

    reception = refer(places["receptions"]["home"], world)
    handover = referral_of(reception)
    handover_answer(handover=handover, by=world.unit_contact, text="已答复")
    for person in (world.unit_contact, world.other_secretary):
        with pytest.raises(HandoverError):
            handover_verify(handover=handover, by=person, accept=True)
    reception.refresh_from_db()
    assert reception.closed_on is None
    # The county's secretary keeps the township's stations, and may.
    handover_verify(handover=handover, by=world.county_secretary, accept=True)
    reception.refresh_from_db()
    assert reception.closed_on == timezone.localdate()


def test_new_reception_answered_on_the_spot_makes_no_handover(world, places):
    ReceptionFactory(station=places["home"], handling="answered", answer="已解释")
    assert not Handover.objects.exists()


def test_the_referral_reminders_open_pages_their_readers_see(world, places, as_user):
    """The handovers' sweep reminds of a referral's deadline (the stations' sweep no
    longer does): yellow and red to the unit contact, the red escalation to the station's
    secretary; each notice opens the referral's page for its reader."""
    from handovers import reminders

    reception = refer(places["receptions"]["home"], world, due=timezone.localdate())
    handover = referral_of(reception)
    Notification.objects.all().delete()
    reminders.sweep(today=timezone.localdate())  # due today: yellow
    reminders.sweep(today=timezone.localdate() + dt.timedelta(days=2))  # overdue: red
    notices = Notification.objects.filter(kind="handover_due")
    assert notices.filter(user=world.unit_contact).count() == 2
    assert notices.filter(user=world.secretary).exists()  # escalated to the station's office
    for notice in notices:
        assert notice.url == f"/inbox/{handover.pk}/"
        assert as_user(notice.user).get(notice.url).status_code == 200


def test_the_secretarys_panel_counts_overdue_referrals_and_answers_to_verify(world, places, rf):
    from liaison_stations.panels import home_panels

    overdue = refer(places["receptions"]["home"], world, due=timezone.localdate())
    answered = refer(ReceptionFactory(station=places["home"]), world)
    handover_answer(handover=referral_of(answered), by=world.unit_contact, text="已答复")
    # A day after the first one's deadline (the second answered is not the unit's delay).
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    Reception.objects.filter(pk__in=[overdue.pk, answered.pk]).update(referral_due=yesterday)
    request = rf.get("/")
    request.user = world.secretary
    (panel,) = home_panels(request)
    assert (panel.context["overdue"], panel.context["answered"]) == (1, 1)


def test_a_duty_log_referral_due_in_the_past_is_refused_beside_its_row(world, places, as_user):
    shift = places["shifts"]["home"]
    before = Reception.objects.count()
    referred = ANSWERED | {
        "handling": "referred",
        "referred_unit": world.unit.pk,
        "referral_due": (timezone.localdate() - dt.timedelta(days=1)).isoformat(),
    }
    response = as_user(world.secretary).post(
        reverse("liaison_stations:duty_log", args=[shift.pk]),
        log_data(shift, list(shift.deputies.all()), [ANSWERED, referred]),
    )
    assert response.status_code == 400
    assert list(response.context["formset"].forms[1].errors) == ["referral_due"]
    assert not Handover.objects.exists() and Reception.objects.count() == before
