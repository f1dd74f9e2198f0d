# Every attachment (the old Station.deputies link table) and every home station
# (deputies.Deputy.home_station) becomes one StationMembership row; a home station the
# deputy was not attached to becomes an attachment too, since a home is a membership.
# Backwards, the rows fill the link table and the home_station column again.

from django.db import migrations

BATCH = 5000


def memberships_from_links(apps, schema_editor):
    db = schema_editor.connection.alias
    Station = apps.get_model("liaison_stations", "Station")
    Deputy = apps.get_model("deputies", "Deputy")
    Membership = apps.get_model("liaison_stations", "StationMembership")
    homes = dict(
        Deputy.objects.using(db)
        .filter(home_station__isnull=False)
        .values_list("pk", "home_station_id")
    )
    pairs = set(Station.deputies.through.objects.using(db).values_list("deputy_id", "station_id"))
    pairs |= set(homes.items())
    Membership.objects.using(db).bulk_create(
        [
            Membership(deputy_id=deputy, station_id=station, is_home=homes.get(deputy) == station)
            for deputy, station in sorted(pairs)
        ],
        batch_size=BATCH,
    )


def links_from_memberships(apps, schema_editor):
    db = schema_editor.connection.alias
    Station = apps.get_model("liaison_stations", "Station")
    Deputy = apps.get_model("deputies", "Deputy")
    Membership = apps.get_model("liaison_stations", "StationMembership")
    rows = list(Membership.objects.using(db).values_list("deputy_id", "station_id", "is_home"))
    Link = Station.deputies.through
    Link.objects.using(db).bulk_create(
        [Link(deputy_id=deputy, station_id=station) for deputy, station, _home in rows],
        batch_size=BATCH,
        ignore_conflicts=True,
    )
    homes = {deputy: station for deputy, station, is_home in rows if is_home}
    deputies = list(Deputy.objects.using(db).filter(pk__in=homes).only("pk"))
    for deputy in deputies:
        deputy.home_station_id = homes[deputy.pk]
    Deputy.objects.using(db).bulk_update(deputies, ["home_station"], batch_size=BATCH)


class Migration(migrations.Migration):

    dependencies = [
        ("liaison_stations", "0003_stationmembership"),
    ]

    operations = [
        migrations.RunPython(memberships_from_links, links_from_memberships, elidable=False),
    ]
