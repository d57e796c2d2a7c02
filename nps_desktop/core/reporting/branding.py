"""The company's logo and colour on the pack: the logo's small copy in the header of every body page."""
from __future__ import annotations

import io

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

HEADER_LOGO_HEIGHT = 4.5 * mm
HEADER_LOGO_MAX_WIDTH = 24 * mm


def header_logo(data: bytes | None) -> ImageReader | None:
    """The logo ready to draw, or None without one (or when the image cannot be read)."""
    if not data:
        return None
    try:
        reader = ImageReader(io.BytesIO(data))
        reader.getSize()
    except Exception:  # a broken image must not stop the pack
        return None
    return reader


def draw_header_logo(canv: Canvas, logo: ImageReader | None, x: float, y: float) -> float:
    """Draw ``logo`` with its bottom-left corner at (x, y); return the width taken, with a gap (0 without)."""
    if logo is None:
        return 0.0
    iw, ih = logo.getSize()
    scale = min(HEADER_LOGO_HEIGHT / ih, HEADER_LOGO_MAX_WIDTH / iw)
    canv.drawImage(logo, x, y, iw * scale, ih * scale, mask="auto")
    return iw * scale + 2.5 * mm
