from datetime import date
from decimal import Decimal

import pytest

from applications import services
from applications.models import Customer
from loancenter.errors import DomainError, PermissionRefused, RuleViolations
from loancenter.models import AuditEvent
from tests.origination import customer_data, id_number, make_customer

pytestmark = pytest.mark.django_db


def test_it_derives_birth_date_and_sex_from_the_id_number(loan_officer):
    customer = make_customer(loan_officer, id_number=id_number(date(1990, 2, 3), 124))
    assert customer.birth_date == date(1990, 2, 3)
    assert customer.sex == "F"  # 124: the 17th digit 4 is even
    assert customer.masked_id_number == f"110105********{customer.id_number[-4:]}"
    assert customer.masked_mobile == "138****5678"
    assert AuditEvent.objects.filter(action="create_customer", actor=loan_officer).count() == 1


def test_it_accepts_a_lower_case_x_check_digit(loan_officer):
    number = "11010519491231002X"
    customer = make_customer(loan_officer, id_number=number.lower())
    assert customer.id_number == number


@pytest.mark.parametrize(
    "field,value,message",
    [
        ("id_number", "110105198505201230", "不是有效的居民身份证号码"),
        ("id_number", "110105850520123", "居民身份证号码"),
        ("mobile", "12812345678", "不是有效的手机号码"),
        ("monthly_income", Decimal("-1"), "大于或等于"),
    ],
)
def test_it_refuses_invalid_customer_data(loan_officer, field, value, message):
    with pytest.raises((RuleViolations, DomainError)) as refused:
        make_customer(loan_officer, **{field: value})
    assert message in str(refused.value)
    assert not Customer.objects.exists()


def test_one_id_number_is_one_customer(loan_officer, other_officer):
    number = id_number()
    make_customer(loan_officer, id_number=number)
    with pytest.raises(DomainError, match="已存在"):
        make_customer(other_officer, id_number=number)


def test_only_loan_officers_record_customers(reviewer):
    with pytest.raises(PermissionRefused):
        services.create_customer(user=reviewer, data=customer_data())


def test_only_the_customers_officer_changes_it(loan_officer, other_officer):
    customer = make_customer(loan_officer)
    with pytest.raises(PermissionRefused):
        services.update_customer(user=other_officer, customer=customer, data={"name": "李四"})
    services.update_customer(user=loan_officer, customer=customer, data={"address": "上海"})
    customer.refresh_from_db()
    assert customer.address == "上海"


def test_the_id_number_of_a_customer_cannot_change(loan_officer):
    customer = make_customer(loan_officer)
    with pytest.raises(DomainError, match="不能修改"):
        services.update_customer(
            user=loan_officer, customer=customer, data={"id_number": id_number(sequence=555)}
        )
