from reports.sections import KeyFigure, ReportPeriod, Section


def sections(period: ReportPeriod) -> list[Section]:
    return [
        Section(
            slug="bulletins",
            title="公告栏发布情况",
            template="bulletin_board/report/bulletins.html",
            context={"month": period.month.month},
            key_figures=[KeyFigure("条公告", "7")],
            order=60,
        )
    ]
