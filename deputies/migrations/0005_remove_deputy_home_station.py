# A deputy's home station is now a StationMembership row of liaison_stations (copied
# there by liaison_stations 0004, which must run first).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("deputies", "0004_deputy_history_without_phone"),
        ("liaison_stations", "0004_stationmembership_data"),
    ]

    operations = [
        migrations.RemoveField(model_name="historicaldeputy", name="home_station"),
        migrations.RemoveField(model_name="deputy", name="home_station"),
    ]
