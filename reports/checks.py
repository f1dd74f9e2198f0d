"""System check: the monthly PDF needs a CJK font, or it would print empty boxes."""

from django.core.checks import Error, register

from reports.fonts import cjk_face, preferred_families


@register()
def cjk_font_installed(app_configs=None, **kwargs) -> list[Error]:
    if cjk_face() is not None:
        return []
    return [
        Error(
            "No CJK font found for the PDF reports: none of "
            f"{', '.join(preferred_families())} is installed, so Chinese text would print "
            "as empty boxes.",
            hint="Install Debian's fonts-noto-cjk (scripts/system-deps.sh does it) "
            "and check with: fc-list ':lang=zh-cn'",
            id="reports.E001",
        )
    ]
