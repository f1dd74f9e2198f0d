"""The move of the deputy–station relation into ``StationMembership`` keeps every home
station and every attachment.

The demo seeder cannot run against the old schema, so the test writes old-shape rows
(``Deputy.home_station`` and the ``Station.deputies`` link table) for a slice laid out
as the seeder laid out the city: each township's deputies attached to its stations, the
main station getting most, a deputy's first station their home station, one village
point emptied after the homes were given out (so its deputies kept it as their home
without being attached), and the cases the office makes by hand: a home station the
deputy is not attached to, attachments without a home, deputies with no station.
Then it migrates forward and finds every pair again; and back, and finds the old rows.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("deputies", "0004_deputy_history_without_phone"),
    ("liaison_stations", "0002_reception_history_without_phone"),
]


def migrate(targets):
    """Migrate to ``targets`` (every app's latest if None); the project state's models."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


def old_shape(apps) -> tuple[set[tuple[int, int]], dict[int, int], set[int]]:
    """Seed the slice at the old schema: (attachments, homes, every deputy's pk)."""
    Region = apps.get_model("organisation", "Region")
    Station = apps.get_model("liaison_stations", "Station")
    Deputy = apps.get_model("deputies", "Deputy")
    Link = Station.deputies.through

    county = Region.objects.create(code="9431224", name="溆浦县", level="county", path="/9431224/")
    attached: dict[int, list[int]] = {}
    everyone: list[int] = []
    for t, (name, n_stations, n_deputies) in enumerate(
        [("黄茅园镇", 3, 22), ("卢峰镇", 2, 9), ("龙潭镇", 4, 30)]
    ):
        township = Region.objects.create(
            code=f"94312241{t}", name=name, level="township", parent=county,
            path=f"/9431224/94312241{t}/",
        )  # fmt: skip
        stations = [
            Station.objects.create(
                code=f"m{t}-{s:02d}", name=f"{name}联络站{s}", kind="township", region=township
            )
            for s in range(n_stations)
        ]
        pool = [
            Deputy.objects.create(name=f"{name}代表{d}", gender="f", region=township).pk
            for d in range(n_deputies)
        ]
        everyone += pool
        main, *others = stations
        attached[main.pk] = pool[:15]
        rest = pool[15:]
        for n, station in enumerate(others):
            attached[station.pk] = (rest[n :: max(1, len(others))] or pool[:6])[:10]
    homes: dict[int, int] = {}
    for station_pk, ids in attached.items():
        for deputy_pk in ids:
            homes.setdefault(deputy_pk, station_pk)
    # The last village point is emptied after the homes were given out.
    emptied = list(attached)[-1]
    assert attached[emptied], "the slice needs deputies whose home is the emptied point"
    attached[emptied] = []
    # By hand: a home station the deputy was never attached to, and four with none.
    stray = Deputy.objects.create(name="向明", gender="m", region_id=county.pk).pk
    homes[stray] = list(attached)[0]
    everyone += [stray]
    everyone += [
        Deputy.objects.create(name=f"无站代表{i}", gender="m", region_id=county.pk).pk
        for i in range(4)
    ]

    links = {(d, s) for s, ids in attached.items() for d in ids}
    Link.objects.bulk_create([Link(deputy_id=d, station_id=s) for d, s in links])
    for deputy_pk, station_pk in homes.items():
        Deputy.objects.filter(pk=deputy_pk).update(home_station_id=station_pk)
    several = {d for d, _s in links if sum(1 for d2, _ in links if d2 == d) > 1}
    assert several and set(everyone) - set(homes), "the slice has every case"
    return links, homes, set(everyone)


def test_every_home_station_and_attachment_survives_the_move():
    try:
        old_apps = migrate(BEFORE)
        links, homes, everyone = old_shape(old_apps)

        new_apps = migrate(None)
        Membership = new_apps.get_model("liaison_stations", "StationMembership")
        rows = set(Membership.objects.values_list("deputy_id", "station_id", "is_home"))
        assert {(d, s) for d, s, _home in rows} == links | set(homes.items())
        assert {d: s for d, s, is_home in rows if is_home} == homes
        Deputy = new_apps.get_model("deputies", "Deputy")
        assert set(Deputy.objects.values_list("pk", flat=True)) == everyone
        assert not any(f.name == "home_station" for f in Deputy._meta.get_fields())

        # And back: the link table and the home_station column hold them again (a home
        # the deputy was not attached to is an attachment now).
        old_apps = migrate(BEFORE)
        Station = old_apps.get_model("liaison_stations", "Station")
        assert set(
            Station.deputies.through.objects.values_list("deputy_id", "station_id")
        ) == links | set(homes.items())
        Deputy = old_apps.get_model("deputies", "Deputy")
        assert (
            dict(
                Deputy.objects.filter(home_station__isnull=False).values_list("pk", "home_station")
            )
            == homes
        )
    finally:
        migrate(None)
