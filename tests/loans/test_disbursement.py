from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import CreditWarning, Status
from collateral.models import InsurancePolicy, Notarisation
from loancenter.errors import (
    DomainError,
    PermissionRefused,
    RuleViolations,
    SeparationOfDutiesError,
)
from loancenter.models import Notification
from loans.preconditions import preconditions, unmet
from loans.services.disbursement import disburse
from tests.servicing import approved, registered, signed

pytestmark = pytest.mark.django_db
ACCOUNT = "6222020200112233445"


@pytest.fixture(autouse=True)
def _defaults(origination):
    pass


@pytest.fixture
def ready_housing(
    loan_officer, investigator, reviewer, approver, mortgage_registrar, disbursement_supervisor
):
    application = signed(approved(loan_officer, investigator, reviewer, approver), loan_officer)
    return registered(application, mortgage_registrar, disbursement_supervisor)


def codes(conditions):
    return {condition.code for condition in conditions}


def test_a_ready_housing_loan_meets_every_condition(ready_housing):
    assert codes(preconditions(ready_housing)) == {
        "status",
        "contracts",
        "registration",
        "counterparty",
        "warning_list",
    }
    assert unmet(ready_housing) == []


def test_disbursing_creates_the_iou_and_its_schedule(
    ready_housing, disbursement_supervisor, loan_officer, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        account = disburse(
            user=disbursement_supervisor,
            application=ready_housing,
            value_date=today,
            repayment_account=ACCOUNT,
        )
    ready_housing.refresh_from_db()
    assert ready_housing.status == Status.DISBURSED
    assert account.number.startswith(f"JJ{today:%Y}")
    assert account.principal == account.principal_outstanding == Decimal("800000.00")
    assert account.installments.count() == 240
    assert sum(i.principal_due for i in account.installments.all()) == Decimal("800000.00")
    assert Notification.objects.filter(recipient=loan_officer, message__contains=account.number)


@pytest.mark.parametrize(
    "broken", ["unsigned", "unregistered", "not_received", "warning", "counterparty"]
)
def test_disbursement_is_impossible_while_a_condition_is_unmet(
    loan_officer,
    investigator,
    reviewer,
    approver,
    mortgage_registrar,
    disbursement_supervisor,
    broken,
):
    application = signed(approved(loan_officer, investigator, reviewer, approver), loan_officer)
    if broken != "unregistered":
        registered(application, mortgage_registrar, disbursement_supervisor)
    if broken == "unsigned":
        application.contracts.update(signed_on=None)
    if broken == "not_received":
        application.registrations.update(received_at=None)
    if broken == "warning":
        CreditWarning.objects.create(id_number=application.customer.id_number, reason="涉诉")
    if broken == "counterparty":
        type(application).objects.filter(pk=application.pk).update(counterparty_account="")
    application.refresh_from_db()
    with pytest.raises(RuleViolations) as refused:
        disburse(
            user=disbursement_supervisor,
            application=application,
            value_date=timezone.localdate(),
            repayment_account=ACCOUNT,
        )
    expected = {
        "unsigned": "尚未签订",
        "unregistered": "申请当前为",
        "not_received": "权证未接收",
        "warning": "信用预警",
        "counterparty": "缺少交易对手",
    }[broken]
    assert expected in " ".join(refused.value.messages)
    application.refresh_from_db()
    assert not hasattr(application, "account") or application.status != Status.DISBURSED


def test_an_insured_loan_needs_a_policy_covering_the_amount(
    loan_officer, investigator, reviewer, approver, disbursement_supervisor
):
    application = approved(
        loan_officer,
        investigator,
        reviewer,
        approver,
        product_code="CONSUMER",
        amount=Decimal("100000"),
        term_months=24,
        security_type="insurance",
    )
    application = signed(application, loan_officer)
    assert "insurance" in codes(unmet(application))
    InsurancePolicy.objects.create(
        application=application,
        insurer="某财产保险公司",
        policy_number="P-1",
        cover_amount=Decimal("90000"),
        starts_on=date(2026, 11, 1),
        ends_on=date(2029, 11, 1),
        recorded_by=loan_officer,
    )
    assert "insurance" in codes(unmet(application))  # does not cover 100,000
    InsurancePolicy.objects.create(
        application=application,
        insurer="某财产保险公司",
        policy_number="P-2",
        cover_amount=Decimal("100000"),
        starts_on=date(2026, 11, 1),
        ends_on=date(2029, 11, 1),
        recorded_by=loan_officer,
    )
    assert unmet(application) == []


def test_a_product_requiring_notarisation_waits_for_it(
    loan_officer, investigator, reviewer, approver
):
    application = approved(
        loan_officer,
        investigator,
        reviewer,
        approver,
        product_code="CONSUMER",
        amount=Decimal("100000"),
        term_months=24,
        security_type="credit",
    )
    application.product.requires_notarisation = True
    application.product.save()
    application = signed(application, loan_officer)
    assert codes(unmet(application)) == {"notarisation"}
    Notarisation.objects.create(
        application=application,
        notary_office="北京市方圆公证处",
        certificate_number="(2026)京方圆内经证字第1号",
        notarised_on=date(2026, 11, 22),
        recorded_by=loan_officer,
    )
    assert unmet(application) == []


def test_only_a_supervisor_who_did_not_approve_it_disburses(ready_housing, approver, make_user):
    with pytest.raises(PermissionRefused):
        disburse(
            user=approver,
            application=ready_housing,
            value_date=timezone.localdate(),
            repayment_account=ACCOUNT,
        )
    approver.groups.add(type(approver.groups.first()).objects.get(name="disbursement_supervisor"))
    with pytest.raises(SeparationOfDutiesError):
        disburse(
            user=approver,
            application=ready_housing,
            value_date=timezone.localdate(),
            repayment_account=ACCOUNT,
        )


@pytest.mark.parametrize(
    "value_date,account,message",
    [
        (timedelta(days=1), ACCOUNT, "起息日不能晚于今天"),
        (timedelta(0), "12345", "12 至 30 位数字"),
    ],
)
def test_bad_disbursement_input_is_refused(
    ready_housing, disbursement_supervisor, value_date, account, message
):
    with pytest.raises(DomainError, match=message):
        disburse(
            user=disbursement_supervisor,
            application=ready_housing,
            value_date=timezone.localdate() + value_date,
            repayment_account=account,
        )


def test_a_second_disbursement_is_refused(ready_housing, disbursement_supervisor):
    disburse(
        user=disbursement_supervisor,
        application=ready_housing,
        value_date=timezone.localdate(),
        repayment_account=ACCOUNT,
    )
    with pytest.raises(RuleViolations, match="已放款"):
        disburse(
            user=disbursement_supervisor,
            application=ready_housing,
            value_date=timezone.localdate(),
            repayment_account=ACCOUNT,
        )


def test_the_supervisor_sees_the_conditions_and_disburses_from_the_page(
    client, ready_housing, disbursement_supervisor, loan_officer
):
    client.force_login(disbursement_supervisor)
    page = client.get(reverse("applications:detail", args=[ready_housing.pk])).content.decode()
    assert 'data-testid="condition-registration"' in page and "放款" in page
    queue = client.get(reverse("loans:disbursement_queue")).content.decode()
    assert ready_housing.number in queue
    response = client.post(
        reverse("loans:disburse", args=[ready_housing.pk]),
        {"value_date": timezone.localdate().isoformat(), "repayment_account": ACCOUNT},
        follow=True,
    )
    assert "已放款,生成借据" in response.content.decode()
    client.force_login(loan_officer)
    assert client.get(reverse("loans:disbursement_queue")).status_code == 404
