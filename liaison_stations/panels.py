"""Home-page panels of this module (see ``dashboard.panels``)."""

from dashboard.panels import Panel


def home_panels(request) -> list[Panel]:
    return []
