"""PostgreSQL's JIT compiler off for the portal's database.

JIT pays off for long analytical queries; the portal's are short, and where a plan's
estimated cost crosses ``jit_above_cost`` (a city-wide ranking, a province's counts) the
compilation itself took most of the time: the township ranking of the demo city 1,060 ms
with JIT, 330 ms without (scripts/benchmark.py's database, README "Benchmark").

``ALTER DATABASE`` applies to every later connection, pgbouncer's included (a session
``SET`` would leak between its clients). It needs the database's owner; a deployment
whose migrating role does not own the database gets a warning and keeps the server's
setting (``jit = off`` in postgresql.conf does the same).
"""

import logging

from django.db import DatabaseError, migrations, transaction

logger = logging.getLogger(__name__)


def _set_jit(value: str):
    def run(apps, schema_editor):
        connection = schema_editor.connection
        if connection.vendor != "postgresql":
            return
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_database()")
            name = schema_editor.quote_name(cursor.fetchone()[0])
            try:
                with transaction.atomic(using=connection.alias):
                    cursor.execute(f"ALTER DATABASE {name} {value}")
            except DatabaseError as error:
                logger.warning("JIT left as the server has it: %s", error)

    return run


class Migration(migrations.Migration):
    dependencies = [("organisation", "0004_region_province_level")]

    operations = [
        migrations.RunPython(_set_jit("SET jit = off"), _set_jit("RESET jit"), elidable=True),
    ]
