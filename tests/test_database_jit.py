"""PostgreSQL's JIT compiler is off for the portal's database (organisation migration
0005): a new connection, as a web worker or pgbouncer opens one, finds it off."""

import psycopg
import pytest
from django.db import connection

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def test_a_new_connection_to_the_portals_database_has_jit_off():
    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        user=settings["USER"],
        password=settings["PASSWORD"],
        dbname=settings["NAME"],
    ) as fresh:
        assert fresh.execute("SHOW jit").fetchone() == ("off",)
