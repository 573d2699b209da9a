"""Working a case: actions, promises to pay and demand letters, with every refusal."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from collection.models import CaseStatus, CollectionAction, PromiseToPay, Track
from collection.services.cases import demand_letter, record_action, record_promise
from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.models import AuditEvent
from loancenter.pdf import cjk_font_available
from tests.collection.builders import (
    TODAY,
    add_guarantor,
    english_fixture,  # noqa: F401 (fixture)
    make_loan,
    open_case,
    people_fixture,  # noqa: F401 (fixture)
    set_overdue,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = Decimal


@pytest.fixture
def loan(people):
    return set_overdue(make_loan(people), "M2")


@pytest.fixture
def case(loan, collections_officer):
    return open_case(loan, assignee=collections_officer, bucket="M2")


@pytest.fixture
def m1_case(loan, loan_officer):
    set_overdue(loan, "M1")
    return open_case(loan, assignee=loan_officer, bucket="M1", track=Track.OFFICER)


def act(case, user, **changes):
    data = {"kind": "phone", "result": "借款人承诺下周还款", "next_action_on": TODAY}
    data.update(changes)
    return record_action(case=case, user=user, **data)


class TestActions:
    def test_the_assignee_records_an_action_and_the_next_action_date(
        self, case, collections_officer
    ):
        action = act(case, collections_officer, next_action_on=TODAY + timedelta(days=3))
        case.refresh_from_db()
        assert case.next_action_on == TODAY + timedelta(days=3)
        assert (action.kind, action.done_by) == ("phone", collections_officer)
        event = AuditEvent.objects.get(action="record_action")
        assert event.object_id == str(case.pk) and event.role == "collections_officer"

    def test_any_collections_officer_may_act_on_a_colleagues_case(self, case, make_user):
        colleague = make_user("colleague", "collections_officer")
        assert act(case, colleague).done_by == colleague

    def test_the_loan_officer_acts_while_the_case_is_m1(self, m1_case, loan_officer):
        assert act(m1_case, loan_officer).done_by == loan_officer

    def test_it_refuses_the_loan_officer_once_the_case_left_m1(self, case, loan_officer):
        with pytest.raises(PermissionRefused, match="assignee"):
            act(case, loan_officer)

    def test_it_refuses_another_officer_and_the_auditor(self, m1_case, other_officer, auditor):
        for user in (other_officer, auditor):
            with pytest.raises(PermissionRefused):
                act(m1_case, user)
        assert not CollectionAction.objects.exists()

    def test_it_refuses_a_closed_case(self, case, collections_officer):
        case.status = CaseStatus.CLOSED
        case.closed_on = TODAY
        case.save()
        with pytest.raises(DomainError, match="closed"):
            act(case, collections_officer)

    def test_it_refuses_an_unknown_kind_an_empty_result_and_a_past_date(
        self, case, collections_officer
    ):
        with pytest.raises(RuleViolations) as refused:
            act(
                case,
                collections_officer,
                kind="email",
                result="  ",
                next_action_on=TODAY - timedelta(days=1),
            )
        assert len(refused.value.messages) == 3


def promise(case, user, amount="1000.00", days=7):
    return record_promise(
        case=case, user=user, amount=amount, promised_on=TODAY + timedelta(days=days)
    )


class TestPromises:
    def test_a_promise_is_recorded_from_today(self, case, collections_officer):
        made = promise(case, collections_officer)
        assert (made.amount, made.made_on, made.status) == (D("1000.00"), TODAY, "pending")
        assert AuditEvent.objects.filter(action="record_promise").count() == 1

    def test_the_loan_officer_records_one_while_m1(self, m1_case, loan_officer):
        assert promise(m1_case, loan_officer).recorded_by == loan_officer

    def test_it_refuses_someone_else(self, case, other_officer):
        with pytest.raises(PermissionRefused):
            promise(case, other_officer)

    def test_it_refuses_a_date_in_the_past(self, case, collections_officer):
        with pytest.raises(DomainError, match="past"):
            promise(case, collections_officer, days=-1)

    def test_it_refuses_a_date_more_than_ninety_days_away(self, case, collections_officer):
        assert promise(case, collections_officer, days=90)
        PromiseToPay.objects.all().delete()
        with pytest.raises(DomainError, match="90 days"):
            promise(case, collections_officer, days=91)

    def test_it_refuses_more_than_the_loan_owes(self, case, loan, collections_officer):
        # 120,000.00 outstanding + 360.00 interest + 40.00 penalties
        assert promise(case, collections_officer, amount="120400.00")
        PromiseToPay.objects.all().delete()
        with pytest.raises(DomainError, match="more than the loan owes"):
            promise(case, collections_officer, amount="120400.01")

    def test_it_refuses_nothing_and_a_float(self, case, collections_officer):
        with pytest.raises(DomainError, match="greater than zero"):
            promise(case, collections_officer, amount="0")
        with pytest.raises(TypeError):
            promise(case, collections_officer, amount=100.5)

    def test_it_refuses_a_second_pending_promise(self, case, collections_officer):
        promise(case, collections_officer)
        with pytest.raises(DomainError, match="one promise at a time"):
            promise(case, collections_officer, amount="50.00")

    def test_it_refuses_a_closed_case(self, case, collections_officer):
        type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=TODAY)
        with pytest.raises(DomainError, match="closed"):
            promise(case, collections_officer)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))


class TestDemandLetters:
    def test_it_prints_a_chinese_letter_to_the_guarantor_and_audits_it(
        self, case, loan, collections_officer
    ):
        if not cjk_font_available():
            pytest.fail("No CJK font: apt-get install fonts-noto-cjk")
        guarantor = add_guarantor(loan, "李四")
        number, pdf = demand_letter(
            case=case,
            user=collections_officer,
            guarantor=guarantor,
            pay_by=TODAY + timedelta(days=15),
        )
        text = pdf_text(pdf)
        assert number.startswith(f"CS{TODAY:%Y}")
        for expected in ("催收通知书", "李四", loan.number, loan.customer.name, "10,400.00"):
            assert expected in text
        assert f"{TODAY + timedelta(days=15):%Y年%-m月%-d日}" in text
        event = AuditEvent.objects.get(action="demand_letter")
        assert number in event.opinion and "李四" in event.opinion

    def test_it_refuses_a_guarantor_of_another_loan(self, case, people, collections_officer):
        stranger = add_guarantor(make_loan(people), "王五")
        with pytest.raises(DomainError, match="does not guarantee"):
            demand_letter(
                case=case,
                user=collections_officer,
                guarantor=stranger,
                pay_by=TODAY + timedelta(days=15),
            )
        assert not AuditEvent.objects.filter(action="demand_letter").exists()

    def test_it_refuses_a_pay_by_date_that_is_not_after_today(
        self, case, loan, collections_officer
    ):
        with pytest.raises(DomainError, match="after today"):
            demand_letter(
                case=case, user=collections_officer, guarantor=add_guarantor(loan), pay_by=TODAY
            )

    def test_it_refuses_someone_who_may_not_work_the_case(self, case, loan, auditor):
        with pytest.raises(PermissionRefused):
            demand_letter(
                case=case,
                user=auditor,
                guarantor=add_guarantor(loan),
                pay_by=TODAY + timedelta(days=15),
            )


def test_it_refuses_what_is_not_an_amount(case, collections_officer):
    with pytest.raises(DomainError, match="not an amount"):
        promise(case, collections_officer, amount="一千")
    with pytest.raises(DomainError, match="Enter the amount"):
        promise(case, collections_officer, amount=None)


def test_no_demand_letter_on_a_closed_case(case, loan, collections_officer):
    type(case).objects.filter(pk=case.pk).update(status="closed", closed_on=TODAY)
    with pytest.raises(DomainError, match="closed"):
        demand_letter(
            case=case,
            user=collections_officer,
            guarantor=add_guarantor(loan),
            pay_by=TODAY + timedelta(days=15),
        )
