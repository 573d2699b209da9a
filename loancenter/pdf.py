"""PDF documents: contracts, IOUs (借据) and reports, written in Chinese.

Every document is a Django template extending ``pdf/base.html`` (A4, page counter
"第 N 页 / 共 M 页", CJK font stack), rendered to HTML and laid out by WeasyPrint.
The Chinese text must be embedded in a CJK font found by fontconfig on this machine
(fonts-noto-cjk): nothing is fetched from the internet, and a PDF without the font
would show empty boxes where the borrower's name and the amount should be.

``render_pdf`` renders a template by name; ``html_to_pdf`` converts HTML that is
already rendered (tests and previews use it with ``engines["django"].from_string``).
"""

import functools
import shutil
import subprocess

from django.conf import settings
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.http import content_disposition_header

FC_LIST_TIMEOUT_SECONDS = 10


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a template (extending pdf/base.html) to the bytes of a PDF."""
    return html_to_pdf(render_to_string(template_name, context))


def html_to_pdf(html: str) -> bytes:
    """Lay out rendered HTML as a PDF; relative URLs resolve against BASE_DIR."""
    import weasyprint  # slow to import, and only the PDF views need it

    return weasyprint.HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def pdf_response(pdf: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """A response carrying a confidential PDF; Chinese file names use RFC 5987 filename*."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(not inline, filename)
    response["Cache-Control"] = "private, no-store"
    return response


@functools.cache
def cjk_font_available() -> bool:
    """Whether fontconfig knows a font with Chinese glyphs (`fc-list :lang=zh family`)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return False
    try:
        result = subprocess.run(  # noqa: S603 - fixed arguments, no user input
            [fc_list, ":lang=zh", "family"],
            capture_output=True,
            text=True,
            timeout=FC_LIST_TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return result.returncode == 0 and bool(result.stdout.strip())
