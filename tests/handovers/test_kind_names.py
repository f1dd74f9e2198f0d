"""Every registered kind's name fits the column that stores it: PostgreSQL refuses a
longer one where SQLite lets it pass, so a kind too long only fails in production."""

from handovers.kinds import registered
from handovers.models import Handover


def test_every_registered_kind_name_fits_its_column():
    room = Handover._meta.get_field("kind").max_length
    assert room is not None
    assert [kind.name for kind in registered() if len(kind.name) > room] == []
    names = {kind.name for kind in registered()}
    assert {"oversight_commitment", "interpellation", "satisfaction_report"} <= names
