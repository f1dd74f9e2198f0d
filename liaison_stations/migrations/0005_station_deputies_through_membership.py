# Station.deputies now goes through StationMembership: the old link table is dropped
# (its rows were copied by 0004). Django cannot alter a many-to-many field to add a
# ``through`` model, so the field is removed and added again.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("liaison_stations", "0004_stationmembership_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="station", name="deputies"),
        migrations.AddField(
            model_name="station",
            name="deputies",
            field=models.ManyToManyField(
                blank=True,
                related_name="stations",
                through="liaison_stations.StationMembership",
                to="deputies.deputy",
                verbose_name="attached deputies",
            ),
        ),
    ]
