"""The report's fonts: DejaVu Sans (accents, Greek, Cyrillic, Hebrew, Arabic, symbols) and a CJK fallback.

Fonts are looked for in fonts-dejavu-core's folder first, then in the usual font folders of Linux,
macOS and Windows and in ``resources/fonts``. Without DejaVu the pack falls back to Helvetica, which
covers Latin-1 only; characters a font lacks are then drawn by the fallback font where it has them.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

DEJAVU_DIR = Path("/usr/share/fonts/truetype/dejavu")
REGULAR, BOLD, FALLBACK = "NpsSans", "NpsSans-Bold", "NpsFallback"
_FALLBACK_FILES = ("DroidSansFallbackFull.ttf", "DroidSansFallback.ttf", "NotoSansCJK-Regular.ttc",
                   "NotoSansCJKsc-Regular.otf", "wqy-microhei.ttc", "ArialUnicode.ttf", "msyh.ttc")


@dataclass(frozen=True)
class Fonts:
    """Registered font names, and the characters each TrueType font can draw."""
    regular: str
    bold: str
    fallback: str | None
    regular_chars: frozenset[int] | None   # None: a standard font (Latin-1)
    fallback_chars: frozenset[int]

    def covers(self, ch: str) -> bool:
        if self.regular_chars is None:
            return ord(ch) < 256
        return ord(ch) in self.regular_chars

    def fallback_covers(self, ch: str) -> bool:
        return self.fallback is not None and ord(ch) in self.fallback_chars


def font_dirs() -> list[Path]:
    """Folders to search, most likely first."""
    home = Path.home()
    dirs = [DEJAVU_DIR, Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
            home / ".local/share/fonts", home / ".fonts", Path("/Library/Fonts"),
            Path("/System/Library/Fonts"), home / "Library/Fonts"]
    if windir := os.environ.get("WINDIR"):
        dirs.append(Path(windir) / "Fonts")
    try:
        from ..resources import resource_path
        dirs.insert(1, resource_path("fonts"))
    except (ImportError, FileNotFoundError):
        pass
    if bundle := getattr(sys, "_MEIPASS", None):
        dirs.insert(1, Path(bundle) / "fonts")
    return dirs


def find_font(filename: str, dirs: list[Path] | None = None) -> Path | None:
    """The first file called ``filename`` in the font folders (searched recursively), or None."""
    for d in dirs if dirs is not None else font_dirs():
        if not d.is_dir():
            continue
        direct = d / filename
        if direct.is_file():
            return direct
        for root, _subdirs, files in os.walk(d):
            if filename in files:
                return Path(root) / filename
    return None


def _register(name: str, path: Path) -> frozenset[int] | None:
    try:
        font = TTFont(name, str(path))
    except Exception:  # an unreadable or unsupported font file: try the next one
        return None
    pdfmetrics.registerFont(font)
    return frozenset(font.face.charToGlyph)


@lru_cache(maxsize=1)
def register_fonts() -> Fonts:
    """Register the report fonts once per process and say which were found."""
    dirs = font_dirs()
    regular_path, bold_path = find_font("DejaVuSans.ttf", dirs), find_font("DejaVuSans-Bold.ttf", dirs)
    regular_chars = _register(REGULAR, regular_path) if regular_path else None
    if regular_chars is not None and bold_path and _register(BOLD, bold_path) is not None:
        regular, bold = REGULAR, BOLD
    elif regular_chars is not None:
        regular, bold = REGULAR, REGULAR
    else:
        regular, bold = "Helvetica", "Helvetica-Bold"
    if regular_chars is not None:
        pdfmetrics.registerFontFamily(REGULAR, normal=regular, bold=bold, italic=regular, boldItalic=bold)
    fallback, fallback_chars = None, frozenset()
    for filename in _FALLBACK_FILES:
        path = find_font(filename, dirs)
        if path and (chars := _register(FALLBACK, path)) is not None:
            fallback, fallback_chars = FALLBACK, chars
            break
    return Fonts(regular, bold, fallback, regular_chars, fallback_chars)
