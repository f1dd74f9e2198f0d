"""Duty-log photos and 十有 evidence photos: shown as thumbnails, fetched only through
views that check the scope, never as public media files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from liaison_stations.models import DutyLog, DutyPhoto, StandardRating
from liaison_stations.services import duty_log_record, standard_rating_set
from tests.liaison_stations.factories import criteria

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
# The secretary of 黄茅园镇 and of its county, the office; nobody else, not even the
# deputy on duty that day.
MAY_SEE = {"admin", "staff", "leader", "secretary", "county_secretary"}


def png(name: str = "photo.png", colour: str = "red") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), colour).save(out, "PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.fixture
def photos(world, places):
    shift = places["shifts"]["home"]
    log = duty_log_record(
        shift=shift,
        by=world.secretary,
        attendees=list(shift.deputies.all()),
        hours=3,
        photos=[png("a.png"), png("b.png", "blue")],
    )
    criterion = criteria(1)[0]
    rating = standard_rating_set(
        station=places["home"],
        criterion=criterion,
        met=True,
        rated_on=shift.date,
        by=world.secretary,
        evidence=png("sign.png", "green"),
    )
    return {"log": log, "photo": log.photos.first(), "rating": rating}


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_fetch_a_duty_photo(world, photos, as_user, person):
    response = as_user(world.people[person]).get(
        reverse("liaison_stations:duty_photo", args=[photos["photo"].pk])
    )
    if person in MAY_SEE:
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert _body(response).startswith(b"\x89PNG")
        assert "private" in response["Cache-Control"]
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("person", PEOPLE)
def test_who_may_fetch_an_evidence_photo(world, photos, as_user, person):
    response = as_user(world.people[person]).get(
        reverse("liaison_stations:evidence", args=[photos["rating"].pk])
    )
    assert response.status_code == (200 if person in MAY_SEE else 404)
    if person in MAY_SEE:
        assert _body(response).startswith(b"\x89PNG")


@pytest.mark.parametrize("name", ["duty_photo", "evidence"])
def test_anonymous_goes_to_login(world, photos, client, name):
    pk = photos["photo" if name == "duty_photo" else "rating"].pk
    response = client.get(reverse(f"liaison_stations:{name}", args=[pk]))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_rating_without_evidence_is_404(world, photos, as_user):
    rating = photos["rating"]
    StandardRating.objects.filter(pk=rating.pk).update(evidence="")
    response = as_user(world.staff).get(reverse("liaison_stations:evidence", args=[rating.pk]))
    assert response.status_code == 404


def test_a_file_missing_from_disk_is_404_not_500(world, photos, as_user):
    photo = photos["photo"]
    photo.image.storage.delete(photo.image.name)
    response = as_user(world.staff).get(reverse("liaison_stations:duty_photo", args=[photo.pk]))
    assert response.status_code == 404


def test_the_duty_log_page_shows_thumbnails_through_the_view(world, photos, as_user, settings):
    log: DutyLog = photos["log"]
    response = as_user(world.secretary).get(
        reverse("liaison_stations:duty_log", args=[log.shift_id])
    )
    body = response.content.decode()
    for photo in DutyPhoto.objects.filter(log=log):
        url = reverse("liaison_stations:duty_photo", args=[photo.pk])
        assert f'<a href="{url}"><img src="{url}" alt="' in body
    assert body.count('<img src="/stations/photos/duty/') == 2
    assert settings.MEDIA_URL not in body and "stations/duty/" not in body.replace(
        "/stations/photos/duty/", ""
    )


def test_the_station_page_shows_evidence_and_duty_photos_to_the_secretary(
    world, places, photos, as_user
):
    url = reverse("liaison_stations:station", args=[places["home"].code])
    body = as_user(world.secretary).get(url).content.decode()
    evidence = reverse("liaison_stations:evidence", args=[photos["rating"].pk])
    assert f'<img src="{evidence}" alt="' in body and "有1" in body
    assert body.count('<img src="/stations/photos/duty/') == 2
    # A deputy reads the station page but gets neither the photos nor their addresses.
    body = as_user(world.deputy).get(url).content.decode()
    assert "/stations/photos/" not in body


def test_photo_files_are_not_served_as_media(world, photos, as_user, settings):
    path = photos["photo"].image.name
    assert as_user(world.staff).get(f"/{settings.MEDIA_URL}{path}").status_code == 404


@pytest.mark.parametrize("size", [1, 6])
def test_station_page_query_budget_with_photos(
    world, places, as_user, django_assert_max_num_queries, size
):
    shift = places["shifts"]["home"]
    duty_log_record(
        shift=shift,
        by=world.secretary,
        attendees=[],
        hours=3,
        photos=[png(f"{i}.png") for i in range(size)],
    )
    client = as_user(world.secretary)
    url = reverse("liaison_stations:station", args=[places["home"].code])
    client.get(url)
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200


def _big_png(name: str = "big.png") -> SimpleUploadedFile:
    """A real PNG header followed by 11 MB: over the 10 MB that evidence may weigh."""
    content = png(name).read() + b"\0" * (11 * 2**20)
    return SimpleUploadedFile(name, content, content_type="image/png")


def test_duty_and_evidence_photos_have_the_limits_of_task_evidence(world, places):
    from liaison_stations.services import StationError

    shift = places["shifts"]["home"]
    came = list(shift.deputies.all())
    with pytest.raises(StationError, match="超过 10 MB") as caught:
        duty_log_record(
            shift=shift, by=world.secretary, attendees=came, hours=3, photos=[_big_png()]
        )
    assert caught.value.field == "photos"
    page = SimpleUploadedFile("page.jpg", b"<html>not a photo</html>", content_type="image/jpeg")
    with pytest.raises(StationError, match="实际上不是 jpg 文件"):
        duty_log_record(shift=shift, by=world.secretary, attendees=came, hours=3, photos=[page])
    assert not DutyLog.objects.filter(shift=shift).exists()  # nothing half-saved
    with pytest.raises(StationError, match="超过 10 MB") as caught:
        standard_rating_set(
            station=places["home"],
            criterion=criteria(1)[0],
            met=True,
            rated_on=shift.date,
            by=world.secretary,
            evidence=_big_png(),
        )
    assert caught.value.field == "evidence"
    assert not StandardRating.objects.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_first_ratings_of_one_criterion_at_once_keep_one(world, places):
    """Two secretaries rate the same criterion at the same moment: no 500, one rating."""
    import threading

    from django.db import connection

    criterion = criteria(1)[0]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def rate(met: bool) -> None:
        try:
            barrier.wait()
            standard_rating_set(
                station=places["home"],
                criterion=criterion,
                met=met,
                rated_on=places["shifts"]["home"].date,
                by=world.secretary,
            )
            outcomes.append("saved")
        except Exception as error:  # what a 500 would have been
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=rate, args=(met,)) for met in (True, False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes == ["saved", "saved"]
    assert StandardRating.objects.filter(station=places["home"], criterion=criterion).count() == 1
