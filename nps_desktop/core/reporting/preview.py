"""Page images of a PDF for the Reports page's preview, drawn by poppler's ``pdftoppm`` when it is
installed (QtPdf is not part of pyside6-essentials). Without it the preview lists the sections."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path


def available() -> bool:
    return shutil.which("pdftoppm") is not None


def render_pages(pdf: str | Path, out_dir: str | Path, dpi: int = 60) -> list[Path]:
    """PNG images of the pages of ``pdf`` in ``out_dir`` (page order); [] without pdftoppm or on failure."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        return []
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    for old in out_dir.glob("page-*.png"):
        old.unlink()
    try:
        subprocess.run([exe, "-png", "-r", str(dpi), str(pdf), str(out_dir / "page")], check=True,
                       capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError):
        return []
    return sorted(out_dir.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))
