"""Response headers: the Content-Security-Policy on every page, and the production hardening
(HSTS, frames, referrer, nosniff, secure cookies) checked in a subprocess with production
settings, as tests/loancenter/test_settings.py does for ``check --deploy``."""

import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.loancenter.test_settings import PRODUCTION_ENV, run_django

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE_DIRS = [ROOT / "templates", *ROOT.glob("*/templates")]


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/accounts/login/", "/", "/no-such-page/", "/admin/login/"])
def test_every_page_carries_the_content_security_policy(client, loan_officer, path):
    if path == "/":
        client.force_login(loan_officer)
    response = client.get(path)
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["img-src"] == ["'self'", "data:"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]


@pytest.mark.django_db
def test_the_policy_never_allows_inline_or_evaluated_script(client, loan_officer):
    client.force_login(loan_officer)
    directives = policy(client.get("/"))
    scripts = directives.get("script-src", directives["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    # inline style is allowed (style="max-width: ...", the progress bar), never for script
    assert directives["style-src"] == ["'self'", "'unsafe-inline'"]


def test_no_template_has_inline_script_or_event_handlers():
    """What the policy would block must not be in the templates: a script element without
    src (data blocks aside), an on...= attribute, or a javascript: link."""
    offenders = []
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>")
    handler = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.IGNORECASE)
    for directory in TEMPLATE_DIRS:
        for path in directory.rglob("*.html"):
            if "/pdf/" in path.as_posix():
                continue  # PDFs are rendered by WeasyPrint, never by a browser
            text = path.read_text(encoding="utf-8")
            for pattern in (inline_script, handler, re.compile(r"javascript:", re.I)):
                offenders += [
                    f"{path.relative_to(ROOT)}: {m.group(0)}" for m in pattern.finditer(text)
                ]
    assert offenders == []


PROBE = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
client = Client(SERVER_NAME="loans.bank.example")
secure = client.get("/accounts/login/", secure=True)
plain = client.get("/accounts/login/")
print(json.dumps({
    "secure": dict(secure.headers),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location", ""),
    "session_cookie_secure": settings.SESSION_COOKIE_SECURE,
    "csrf_cookie_secure": settings.CSRF_COOKIE_SECURE,
    "session_cookie_httponly": settings.SESSION_COOKIE_HTTPONLY,
}))
"""


@pytest.fixture(scope="module")
def production_response():
    # the sign-in page reads no table, so the (empty) production database is never touched
    database = "sqlite:////tmp/loancenter-headers-check.sqlite3"
    result = run_django(["-c", PROBE], **{**PRODUCTION_ENV, "DATABASE_URL": database})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_for_a_year_with_subdomains(production_response):
    hsts = production_response["secure"]["Strict-Transport-Security"]
    assert "max-age=31536000" in hsts and "includeSubDomains" in hsts and "preload" in hsts


def test_production_forbids_framing_sniffing_and_cross_site_referrers(production_response):
    headers = production_response["secure"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]


def test_production_redirects_plain_http_and_keeps_cookies_on_https(production_response):
    assert production_response["plain_status"] == 301
    assert production_response["plain_location"].startswith("https://loans.bank.example/")
    assert production_response["session_cookie_secure"] is True
    assert production_response["csrf_cookie_secure"] is True
    assert production_response["session_cookie_httponly"] is True


@pytest.mark.e2e
def test_htmx_pages_still_work_under_the_policy(live_server, loan_officer, monkeypatch):
    """The repayment calculator swaps its results with htmx as the user types; under the
    policy htmx loads from our own files and no script or style is refused."""
    import os
    import shutil

    from playwright.sync_api import sync_playwright

    from tests.factories import TEST_PASSWORD

    chromium = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
    if not shutil.which(chromium) and not Path(chromium).exists():
        pytest.fail(f"Chromium not found at {chromium}: apt-get install chromium")
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    refused = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        page.set_default_timeout(15_000)
        page.on(
            "console",
            lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None,
        )
        page.on("pageerror", lambda error: refused.append(str(error)))
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("用户名").fill(loan_officer.username)
        page.get_by_label("密码").fill(TEST_PASSWORD)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}{reverse('loans:calculator')}")
        assert page.evaluate("typeof htmx") == "object"
        page.fill("#id_principal", "100000")
        page.fill("#id_annual_rate", "3.6")
        page.fill("#id_months", "12")
        with page.expect_response(lambda r: r.request.headers.get("hx-request") == "true"):
            page.press("#id_months", "Tab")
        page.get_by_test_id("calculator-schedule").wait_for()
        browser.close()
    assert refused == []
