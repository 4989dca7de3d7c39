"""PDFs in tests: their text read back with pypdf, and every page rendered by poppler's pdftoppm."""
from __future__ import annotations

import io
import shutil
import subprocess

from pypdf import PdfReader


def text_of(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def rendered_pages(pdf: bytes, tmp_path) -> list:
    """Render every page to PNG with pdftoppm (Debian's poppler-utils); the test fails if it is missing."""
    tool = shutil.which("pdftoppm")
    assert tool, "pdftoppm is missing: install it with `apt-get install poppler-utils` (.ci/run does)."
    source = tmp_path / "export.pdf"
    source.write_bytes(pdf)
    subprocess.run([tool, "-r", "40", "-png", str(source), str(tmp_path / "page")], check=True, timeout=120)
    return sorted(tmp_path.glob("page*.png"))
