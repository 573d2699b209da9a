"""Builders for origination tests: valid customers and applications walked through each step."""

import itertools
from datetime import date
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import ric

from applications import services
from applications.defaults import seed_defaults as seed_products
from applications.models import Customer, LoanPrimeRate, LoanProduct
from review import services as review_services
from review.defaults import seed_defaults as seed_limits
from review.models import AuthorityLimit

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
_sequences = itertools.count(100)


def id_number(birth: date = date(1985, 5, 20), sequence: int | None = None, region="110105"):
    """A valid 居民身份证 number; each call without a sequence gives a new person."""
    sequence = next(_sequences) % 1000 if sequence is None else sequence
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


def seed_origination_defaults():
    from django.contrib.auth.models import Group

    from archive.defaults import seed_retention_rules
    from archive.models import RetentionRule
    from collection.defaults import seed_check_schedules
    from collection.models import CheckSchedule
    from reports.defaults import seed_alert_levels
    from reports.models import AlertLevel

    seed_products(LoanPrimeRate, LoanProduct)
    seed_limits(Group, AuthorityLimit)
    seed_check_schedules(LoanProduct, CheckSchedule)
    seed_retention_rules(RetentionRule)
    seed_alert_levels(AlertLevel)


def customer_data(**overrides):
    data = {
        "name": "张三",
        "id_number": id_number(),
        "mobile": "13812345678",
        "address": "北京市朝阳区建国路1号",
        "employer": "北京某科技有限公司",
        "employment_years": 5,
        "monthly_income": Decimal("30000.00"),
        "monthly_debt_payments": Decimal("0.00"),
        "marital_status": "married",
        "full_civil_capacity": True,
        "housing_status": "mortgaged",
    }
    data.update(overrides)
    return data


def make_customer(officer, **overrides) -> Customer:
    return services.create_customer(user=officer, data=customer_data(**overrides))


def application_data(product_code="HOUSING", **overrides):
    product = LoanProduct.objects.get(code=product_code)
    data = {
        "product": product,
        "amount": Decimal("800000.00"),
        "term_months": 240,
        "rate_spread_bp": 0,
        "purpose": "购买自住普通住房",
        "repayment_method": "equal_installment",
        "security_type": product.security_types[0],
        "payment_mode": "entrusted",
        "counterparty_name": "北京某房地产开发有限公司",
        "counterparty_account": "11050162540000000001",
        "counterparty_bank": "中国建设银行北京分行",
    }
    data.update(overrides)
    return data


def upload_required_documents(officer, application):
    for kind in application.product.required_documents:
        upload = SimpleUploadedFile(f"{kind}.pdf", PDF_BYTES, content_type="application/pdf")
        services.upload_document(user=officer, application=application, kind=kind, uploaded=upload)


def collateral_data(application, **overrides):
    data = {
        "kind": "house" if application.security_type == "mortgage" else "deposit",
        "description": "朝阳区建国路1号院2号楼301室",
        "owner_name": application.customer.name,
        "owner_is_borrower": True,
        "certificate_number": f"京(2024)朝阳区不动产权第{application.pk:07d}号",
        "location": "北京市朝阳区建国路1号院2号楼301室",
        "area": Decimal("89.50"),
        # a loan-to-value of 62.5%: within every product's limit
        "appraised_value": (application.amount * Decimal("1.6")).quantize(Decimal("0.01")),
        "appraisal_date": date(2026, 11, 1),
        "appraisal_agency": "北京某房地产估价有限公司",
    }
    data.update(overrides)
    return data


def draft(officer, customer=None, product_code="HOUSING", with_collateral=True, **overrides):
    """A draft application; a secured one comes with appraised collateral unless told not."""
    from applications.catalog import SECURED_TYPES
    from collateral import services as collateral_services

    customer = customer or make_customer(officer)
    application = services.create_application(
        user=officer, customer=customer, data=application_data(product_code, **overrides)
    )
    if with_collateral and application.security_type in SECURED_TYPES:
        collateral_services.add_collateral(
            user=officer, application=application, data=collateral_data(application)
        )
    return application


def submitted(officer, **overrides):
    application = draft(officer, **overrides)
    upload_required_documents(officer, application)
    return services.submit_application(user=officer, application=application)


def survey_data(application, **overrides):
    data = {
        "interview_date": date(2026, 11, 20),
        "interview_mode": "in_person",
        "onsite_visit_done": True,
        "identity_verified": True,
        "income_verified": True,
        "purpose_verified": True,
        "repayment_source_verified": True,
        "guarantor_capacity_verified": False,
        "collateral_verified": True,
        "recommended_amount": application.amount,
        "recommended_term_months": application.term_months,
        "recommended_rate": application.annual_rate,
        "recommendation": "recommend",
        "opinion": "借款人收入稳定,还款来源充足,建议同意。",
    }
    data.update(overrides)
    return data


def surveyed(officer, investigator, **overrides):
    application = submitted(officer, **overrides)
    application = services.claim_survey(user=investigator, application=application, draw=0.99)
    services.confirm_survey(user=officer, application=application, data=survey_data(application))
    services.confirm_survey(
        user=investigator, application=application, data=survey_data(application)
    )
    application.refresh_from_db()
    return application


def review_data(application, decision="agree", **overrides):
    data = {
        "checklist": {"documents_complete": True, "compliant": True},
        "proposed_amount": application.amount,
        "proposed_term_months": application.term_months,
        "proposed_rate": application.annual_rate,
        "proposed_method": application.repayment_method,
        "decision": decision,
        "text": "资料完整合规,同意提交审批。",
        # tests about other rules should not trip over the score's suggestion
        "departure_reason": "按产品定价政策执行。",
    }
    data.update(overrides)
    return data


def reviewed(officer, investigator, reviewer, **overrides):
    application = surveyed(officer, investigator, **overrides)
    review_services.review_application(
        user=reviewer, application=application, data=review_data(application)
    )
    application.refresh_from_db()
    return application


def decision_data(application, decision="approve", **overrides):
    data = {
        "decision": decision,
        "amount": application.amount,
        "term_months": application.term_months,
        "annual_rate": application.annual_rate,
        "repayment_method": application.repayment_method,
        "security_type": application.security_type,
        "conditions": "落实抵押登记后放款",
        "reasons": "借款人资信良好,抵押充足,同意。",
    }
    data.update(overrides)
    return data
