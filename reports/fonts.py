"""Which CJK font the PDFs use, found through fontconfig (the same lookup WeasyPrint does).

Debian's ``fonts-noto-cjk`` ships Noto Sans CJK as ``.ttc`` collections whose first
face is the *Japanese* one; naming the family "Noto Sans CJK SC" makes fontconfig pick
the Simplified Chinese face (its index inside the collection), whose glyph shapes are
the ones Chinese readers expect.
"""

from __future__ import annotations

import shutil
import subprocess  # nosec B404
from dataclasses import dataclass

from django.conf import settings

# In order of preference; the first one installed is used by the PDF stylesheet.
DEFAULT_FAMILIES = ("Noto Sans CJK SC", "WenQuanYi Micro Hei")
# The serif face of the monthly report's title and body (公文 use a Song face); the same
# Debian package ships it. Without it the report is set in the sans face throughout.
DEFAULT_SERIF_FAMILIES = ("Noto Serif CJK SC",)


@dataclass(frozen=True)
class FontFace:
    family: str
    path: str
    index: int  # the face inside a .ttc collection


def preferred_families(*, serif: bool = False) -> tuple[str, ...]:
    if serif:
        return tuple(getattr(settings, "REPORTS_CJK_SERIF_FAMILIES", DEFAULT_SERIF_FAMILIES))
    return tuple(getattr(settings, "REPORTS_CJK_FAMILIES", DEFAULT_FAMILIES))


def cjk_face(*, bold: bool = False, serif: bool = False) -> FontFace | None:
    """The installed face of the first preferred family, or None when none is installed."""
    if shutil.which("fc-list") is None:
        return None
    style = ":style=Bold" if bold else ":style=Regular"
    for family in preferred_families(serif=serif):
        # fontconfig's own lister, by name from PATH as the image installs it; the
        # arguments are ours (the preferred family names), no shell.
        output = subprocess.run(  # nosec B603 B607
            ["fc-list", f"{family}{style}", "family", "file", "index"],
            capture_output=True,
            text=True,
            check=False,
            timeout=10,
        ).stdout
        for line in output.splitlines():
            # "/path/NotoSansCJK-Regular.ttc: Noto Sans CJK SC,Noto Sans CJK SC Regular:index=2"
            path, _, rest = line.partition(": ")
            names, _, index = rest.partition(":index=")
            if family in names.split(","):
                return FontFace(family=family, path=path, index=int(index or 0))
    return None
