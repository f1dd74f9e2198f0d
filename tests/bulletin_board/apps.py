from django.apps import AppConfig

from congress_portal.contributions import Contribution, NavItem
from organisation.roles import EVERYONE


class BulletinBoardConfig(AppConfig):
    name = "tests.bulletin_board"
    label = "bulletin_board"
    contributes = Contribution(
        nav=[NavItem("公告栏", "bulletin_board:index", EVERYONE, order=50)],
        panels="tests.bulletin_board.panels.home_panels",
        report_sections="tests.bulletin_board.report_sections.sections",
    )
