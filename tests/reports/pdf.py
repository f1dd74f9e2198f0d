"""Inspecting a PDF the way a reader would: its text, its fonts, its rendered pages."""

from __future__ import annotations

import subprocess
from pathlib import Path

from fontTools.ttLib import TTFont

from reports.fonts import cjk_face


def pdf_text(path: Path, *, layout: bool = True) -> str:
    """The text layer; ``layout=False`` keeps the drawing order (a figure beside its label)."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout


def pdf_fonts(path: Path) -> list[dict]:
    lines = subprocess.run(
        ["pdffonts", str(path)], capture_output=True, text=True, check=True
    ).stdout.splitlines()[2:]
    fonts = []
    for line in lines:
        parts = line.split()
        # name type... encoding emb sub uni object-id generation
        fonts.append({"name": parts[0], "emb": parts[-5], "uni": parts[-3]})
    return fonts


def rendered_pages(path: Path, out: Path) -> list[Path]:
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(path), str(out / "page")], check=True)
    return sorted(out.glob("page-*.png"))


def uncovered_characters(text: str) -> set[str]:
    """Characters of ``text`` that some face (sans and serif, regular and bold) of the CJK
    fonts has no glyph for."""
    missing = set()
    cmaps = []
    for serif in (False, True):
        for bold in (False, True):
            face = cjk_face(bold=bold, serif=serif)
            cmaps.append(TTFont(face.path, fontNumber=face.index, lazy=True).getBestCmap())
    for char in set(text):
        if char.isspace():
            continue
        if not all(ord(char) in cmap for cmap in cmaps):
            missing.add(char)
    return missing
