# The deputy–station relation moves to liaison_stations, as one membership row that also
# says which station is the deputy's home station (it was deputies.Deputy.home_station).
# 0003 creates the table, 0004 copies the data, 0005 makes Station.deputies go through
# it and drops the old link table; deputies 0005 then drops Deputy.home_station.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0004_deputy_history_without_phone"),
        ("liaison_stations", "0002_reception_history_without_phone"),
    ]

    operations = [
        migrations.CreateModel(
            name="StationMembership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("is_home", models.BooleanField(default=False, verbose_name="home station")),
                (
                    "deputy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="station_memberships",
                        to="deputies.deputy",
                        verbose_name="deputy",
                    ),
                ),
                (
                    "station",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="memberships",
                        to="liaison_stations.station",
                        verbose_name="station",
                    ),
                ),
            ],
            options={
                "verbose_name": "station membership",
                "verbose_name_plural": "station memberships",
                "constraints": [
                    models.UniqueConstraint(
                        fields=("deputy", "station"), name="station_membership_once"
                    ),
                    models.UniqueConstraint(
                        condition=models.Q(("is_home", True)),
                        fields=("deputy",),
                        name="station_membership_one_home",
                    ),
                ],
            },
        ),
    ]
