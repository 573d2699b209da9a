"""Default LPR table and products (RULES.md §2, §4), seeded by a migration and edited in the
admin. Tests seed the same defaults after a database flush."""

from datetime import date
from decimal import Decimal

LPR = [("1y", Decimal("3.00"), date(2026, 1, 20)), ("5y", Decimal("3.50"), date(2026, 1, 20))]

PRODUCTS = [
    {
        "code": "HOUSING",
        "name": "个人住房贷款",
        "category": "housing",
        "min_amount": Decimal("100000"),
        "max_amount": Decimal("10000000"),
        "max_term_months": 360,
        "rate_basis": "5y",
        "min_spread_bp": -50,
        "max_spread_bp": 150,
        "repayment_methods": ["equal_installment", "equal_principal"],
        "security_types": ["mortgage"],
        "required_documents": [
            "id_card",
            "income_proof",
            "marriage_proof",
            "credit_report",
            "purchase_contract",
            "down_payment_proof",
        ],
        "max_ltv_percent": Decimal("80"),
        "max_payment_to_income_percent": Decimal("50"),
        "max_debt_to_income_percent": Decimal("55"),
        "onsite_survey_percent": 20,
        "self_payment_limit": Decimal("0"),
    },
    {
        "code": "CONSUMER",
        "name": "个人消费贷款",
        "category": "consumer",
        "min_amount": Decimal("10000"),
        "max_amount": Decimal("1000000"),
        "max_term_months": 60,
        "rate_basis": "1y",
        "min_spread_bp": 0,
        "max_spread_bp": 400,
        "repayment_methods": ["equal_installment", "equal_principal", "interest_only"],
        "security_types": ["credit", "guarantee", "mortgage", "insurance"],
        "required_documents": ["id_card", "income_proof", "credit_report", "purpose_proof"],
        "max_ltv_percent": Decimal("70"),
        "max_payment_to_income_percent": Decimal("50"),
        "onsite_survey_percent": 50,
        "self_payment_limit": Decimal("300000"),
    },
    {
        "code": "BUSINESS",
        "name": "个人经营贷款",
        "category": "business",
        "min_amount": Decimal("50000"),
        "max_amount": Decimal("5000000"),
        "max_term_months": 60,
        "extended_max_term_months": 120,
        "rate_basis": "1y",
        "min_spread_bp": 50,
        "max_spread_bp": 500,
        "repayment_methods": ["equal_installment", "equal_principal", "interest_only"],
        "security_types": ["guarantee", "mortgage", "pledge", "insurance"],
        "required_documents": [
            "id_card",
            "business_license",
            "bank_statement",
            "credit_report",
            "purpose_proof",
        ],
        "max_ltv_percent": Decimal("70"),
        "max_payment_to_income_percent": Decimal("50"),
        "onsite_survey_percent": 100,
        "self_payment_limit": Decimal("500000"),
    },
    {
        "code": "AUTO",
        "name": "个人汽车贷款",
        "category": "auto",
        "min_amount": Decimal("30000"),
        "max_amount": Decimal("1000000"),
        "max_term_months": 60,
        "rate_basis": "1y",
        "min_spread_bp": 0,
        "max_spread_bp": 300,
        "repayment_methods": ["equal_installment", "equal_principal"],
        "security_types": ["pledge", "guarantee", "insurance"],
        "required_documents": ["id_card", "income_proof", "credit_report", "vehicle_invoice"],
        "max_ltv_percent": Decimal("80"),
        "max_payment_to_income_percent": Decimal("50"),
        "onsite_survey_percent": 50,
        "self_payment_limit": Decimal("0"),
    },
]


def seed_defaults(LoanPrimeRate, LoanProduct):  # noqa: N803 (historical models too)
    for tenor, rate, effective in LPR:
        LoanPrimeRate.objects.get_or_create(
            tenor=tenor, effective_date=effective, defaults={"rate": rate}
        )
    for product in PRODUCTS:
        LoanProduct.objects.get_or_create(code=product["code"], defaults=product)
