from dashboard.panels import Panel


def home_panels(request) -> list[Panel]:
    return [Panel(title="本周公告", template="bulletin_board/panel.html", context={"count": 3})]
