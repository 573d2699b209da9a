import pytest
from django.db import connection

from loancenter import roles
from tests.factories import UserFactory


def pytest_collection_modifyitems(config, items):
    skip_pg = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords and connection.vendor != "postgresql":
            item.add_marker(skip_pg)


@pytest.fixture
def make_user(db):
    def make(username=None, *role_codes, **fields):
        if username:
            fields["username"] = username
        return UserFactory(roles=list(role_codes), **fields)

    return make


def _role_fixture(code, username=None):
    @pytest.fixture
    def fixture(make_user):
        return make_user(username or code, code)

    return fixture


loan_officer = _role_fixture(roles.LOAN_OFFICER)
investigator = _role_fixture(roles.INVESTIGATOR)
reviewer = _role_fixture(roles.REVIEWER)
approver = _role_fixture(roles.APPROVER)
director = _role_fixture(roles.DIRECTOR)
head_office = _role_fixture(roles.HEAD_OFFICE)
mortgage_registrar = _role_fixture(roles.MORTGAGE_REGISTRAR)
disbursement_supervisor = _role_fixture(roles.DISBURSEMENT_SUPERVISOR)
archivist = _role_fixture(roles.ARCHIVIST)
collections_officer = _role_fixture(roles.COLLECTIONS_OFFICER)
auditor = _role_fixture(roles.AUDITOR)
other_officer = _role_fixture(roles.LOAN_OFFICER, "other_officer")


@pytest.fixture
def superuser(make_user):
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture(autouse=True, scope="session")
def fast_password_hashing():
    """PBKDF2's deliberate slowness protects real passwords, not test users."""
    from django.conf import settings
    from django.contrib.auth.hashers import get_hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()


@pytest.fixture
def origination(db):
    """The default products, LPR and authority limits (migrations seed them; a flush removes
    them between browser tests)."""
    from tests.origination import seed_origination_defaults

    seed_origination_defaults()


@pytest.fixture(autouse=True)
def private_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def fast_contract_pdfs(monkeypatch):
    """Contracts rendered as a stub PDF: for tests about demo data, not about documents (the
    contract PDFs have their own tests). Rendering fourteen Chinese contracts takes ~20 s."""
    stub = b"%PDF-1.4\n% demo stub\n%%EOF\n"
    monkeypatch.setattr("loans.services.contracts.render_pdf", lambda *args, **kwargs: stub)


@pytest.fixture(autouse=True)
def tasks_run_in_the_test(settings):
    """No Celery worker runs during the tests: a task enqueued with a broker configured
    (REDIS_URL in CI) would wait for ever. Tasks run in the calling process instead; the
    stack smoke test in .ci/run checks a real worker."""
    from loancenter.celery import app

    previous = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = previous
