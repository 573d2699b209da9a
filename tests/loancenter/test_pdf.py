"""PDF infrastructure: Chinese text in an embedded CJK font, page counter, safe responses.

Sample documents are template strings compiled with engines["django"].from_string and
converted with html_to_pdf, the half of render_pdf that takes HTML: no test-only template
directory has to be added to TEMPLATES.
"""

import io
import subprocess
import sys
from urllib.parse import quote

import pytest
from django.template import engines
from pypdf import PdfReader

from loancenter.pdf import cjk_font_available, html_to_pdf, pdf_response, render_pdf

SAMPLE = """{% extends "pdf/base.html" %}
{% block title %}个人住房贷款借款合同{% endblock %}
{% block doc_header %}个贷中心{% endblock %}
{% block content %}
<h1>个人住房贷款借款合同</h1>
<table class="grid">
  <tr><th>借款金额</th><td class="amount">1,000,000.00</td><td>{{ capitals }}</td></tr>
</table>
{% for clause in clauses %}
  <p>第{{ forloop.counter }}条 借款人应按期足额偿还贷款本息。</p>
{% endfor %}
<div class="signatures">
  <div class="signature"><span class="role">借款人（签字）：</span><span class="line"></span></div>
  <div class="signature"><span class="role">贷款人（盖章）：</span><span class="line"></span></div>
</div>
<span class="stamp">放款专用章</span>
{% endblock %}"""

NO_FONT = (
    "No CJK font is installed, so Chinese text in PDFs would come out as empty boxes. "
    "Install one: apt-get install fonts-noto-cjk (then `fc-list :lang=zh` lists it)."
)


def render_sample(clauses: int = 1) -> bytes:
    template = engines["django"].from_string(SAMPLE)
    html = template.render({"capitals": "人民币壹佰万元整", "clauses": range(clauses)})
    return html_to_pdf(html)


def fonts(resources):
    """The font dictionaries of a page's resources, including those of form XObjects."""
    resources = resources.get_object() if resources else {}
    yield from (font.get_object() for font in resources.get("/Font", {}).values())
    for xobject in resources.get("/XObject", {}).values():
        xobject = xobject.get_object()
        if xobject.get("/Subtype") == "/Form":
            yield from fonts(xobject.get("/Resources"))


def embedded_font_names(page) -> list[str]:
    """/BaseFont of every font on the page whose program is embedded (FontFile2/3)."""
    names = []
    for font in fonts(page.get("/Resources")):
        for part in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
            descriptor = part.get("/FontDescriptor")
            if descriptor and {"/FontFile2", "/FontFile3"} & set(descriptor.get_object()):
                names.append(str(part["/BaseFont"]))
    return names


@pytest.fixture(scope="module")
def sample_pdf():
    if not cjk_font_available():
        pytest.fail(NO_FONT)
    return render_sample()


def test_the_chinese_text_and_the_page_counter_are_in_the_pdf(sample_pdf):
    text = PdfReader(io.BytesIO(sample_pdf)).pages[0].extract_text()

    assert "个人住房贷款借款合同" in text
    assert "人民币壹佰万元整" in text
    assert "第 1 页 / 共 1 页" in text
    assert "个贷中心" in text  # the running header


def test_the_chinese_text_is_set_in_an_embedded_cjk_font(sample_pdf):
    names = embedded_font_names(PdfReader(io.BytesIO(sample_pdf)).pages[0])

    assert any("CJK" in name or "WenQuanYi" in name for name in names), names


def test_the_title_becomes_the_pdf_title(sample_pdf):
    assert PdfReader(io.BytesIO(sample_pdf)).metadata.title == "个人住房贷款借款合同"


def test_every_page_has_the_header_and_counts_the_pages():
    if not cjk_font_available():
        pytest.fail(NO_FONT)
    pages = PdfReader(io.BytesIO(render_sample(clauses=80))).pages

    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"第 {number} 页 / 共 {len(pages)} 页" in text
        assert "个贷中心" in text


def test_render_pdf_renders_a_template_by_name():
    pdf = render_pdf("pdf/base.html", {})

    assert pdf.startswith(b"%PDF-")
    assert "第 1 页 / 共 1 页" in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_importing_the_module_does_not_import_weasyprint():
    code = "import sys, loancenter.pdf; assert 'weasyprint' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_pdf_response_is_inline_with_a_chinese_file_name_and_not_stored():
    response = pdf_response(b"%PDF-1.7 ...", "个人住房贷款借款合同.pdf")

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        "inline; filename*=utf-8''" + quote("个人住房贷款借款合同.pdf")
    )
    assert response["Cache-Control"] == "private, no-store"
    assert response.content == b"%PDF-1.7 ..."


def test_a_pdf_response_can_be_a_download():
    response = pdf_response(b"%PDF-", "借据.pdf", inline=False)

    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response["Cache-Control"] == "private, no-store"
