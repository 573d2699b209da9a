import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command

from applications.models import Customer, Guarantor, LoanApplication, Status, SurveyConfirmation
from loancenter import roles
from loancenter.models import AuditEvent
from review.demo import APPLICATIONS, DEMO_ID_NUMBERS
from review.models import ApprovalDecision, ReviewOpinion

pytestmark = pytest.mark.django_db

ORIGINATION_STATES = [
    Status.DRAFT,
    Status.SUBMITTED,
    Status.SURVEYING,
    Status.REVIEWING,
    Status.APPROVING,
    Status.ESCALATED,
    Status.APPROVED,
    Status.REJECTED,
    Status.RETURNED,
    Status.WITHDRAWN,
]


def _counts():
    return {
        model.__name__: model.objects.count()
        for model in (
            Customer,
            LoanApplication,
            Guarantor,
            SurveyConfirmation,
            ReviewOpinion,
            ApprovalDecision,
            AuditEvent,
            get_user_model(),
        )
    }


@pytest.fixture
def seeded(settings, origination, fast_contract_pdfs):
    settings.DEBUG = True
    call_command("seed_demo")
    return _counts()


def test_every_origination_state_has_a_demo_application(seeded):
    states = set(LoanApplication.objects.values_list("status", flat=True))
    missing = [state for state in ORIGINATION_STATES if state not in states]
    assert not missing
    origination_demo = LoanApplication.objects.filter(customer__id_number__in=DEMO_ID_NUMBERS)
    assert origination_demo.count() == len(APPLICATIONS)
    assert Customer.objects.filter(id_number__in=DEMO_ID_NUMBERS).count() == len(DEMO_ID_NUMBERS)


def test_a_second_run_duplicates_nothing(seeded):
    call_command("seed_demo")
    assert _counts() == seeded


def test_every_demo_application_has_an_audit_trail(seeded):
    content_type = ContentType.objects.get_for_model(LoanApplication)
    audited = set(
        AuditEvent.objects.filter(content_type=content_type).values_list("object_id", flat=True)
    )
    for application in LoanApplication.objects.all():
        assert str(application.pk) in audited, application.number


def test_the_escalated_application_waits_for_the_director(seeded):
    escalated = LoanApplication.objects.get(status=Status.ESCALATED)
    assert escalated.escalation_level == "director"
    assert 1_000_000 < escalated.amount <= 3_000_000
    decision = escalated.approval_decisions.get()
    assert decision.decision == ApprovalDecision.ESCALATE
    assert decision.decided_by.username == roles.APPROVER


def test_an_escalated_application_was_approved_by_the_director(seeded):
    approvers = set(
        ApprovalDecision.objects.filter(
            decision=ApprovalDecision.APPROVE, application__status=Status.APPROVED
        ).values_list("decided_by__username", flat=True)
    )
    assert approvers == {roles.APPROVER, roles.DIRECTOR}


def test_the_demo_loan_officer_sees_their_applications_in_the_queue(seeded, client):
    officer = get_user_model().objects.get(username=roles.LOAN_OFFICER)
    client.force_login(officer)
    response = client.get("/applications/?scope=all")
    assert response.status_code == 200
    page = response.content.decode()
    numbers = LoanApplication.objects.filter(
        officer=officer, customer__id_number__in=DEMO_ID_NUMBERS
    ).values_list("number", flat=True)
    assert len(numbers) == len(APPLICATIONS)
    for number in numbers:
        assert number in page
