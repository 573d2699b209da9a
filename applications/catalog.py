"""Fixed vocabularies of origination: product categories, security types, documents."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    HOUSING = "housing", _("Housing")
    CONSUMER = "consumer", _("Consumer")
    BUSINESS = "business", _("Business")
    AUTO = "auto", _("Auto")


class RateBasis(models.TextChoices):
    LPR_1Y = "1y", _("1-year LPR")
    LPR_5Y = "5y", _("5-year-plus LPR")


class SecurityType(models.TextChoices):
    CREDIT = "credit", _("Credit (unsecured)")
    GUARANTEE = "guarantee", _("Guarantee")
    MORTGAGE = "mortgage", _("Mortgage")
    PLEDGE = "pledge", _("Pledge")
    INSURANCE = "insurance", _("Guarantee insurance")


SECURED_TYPES = frozenset({SecurityType.MORTGAGE, SecurityType.PLEDGE})


class PaymentMode(models.TextChoices):
    ENTRUSTED = "entrusted", _("Paid to the counterparty (entrusted payment)")
    SELF = "self", _("Paid to the borrower (self payment)")


class MaritalStatus(models.TextChoices):
    SINGLE = "single", _("Single")
    MARRIED = "married", _("Married")
    DIVORCED = "divorced", _("Divorced")
    WIDOWED = "widowed", _("Widowed")


class HousingStatus(models.TextChoices):
    OWN = "own", _("Owns a home outright")
    MORTGAGED = "mortgaged", _("Owns a home with a mortgage")
    FAMILY = "family", _("Lives with family")
    RENT = "rent", _("Rents")
    OTHER = "other", _("Other")


class DocumentKind(models.TextChoices):
    ID_CARD = "id_card", _("Identity card")
    INCOME_PROOF = "income_proof", _("Proof of income")
    BANK_STATEMENT = "bank_statement", _("Bank statements")
    MARRIAGE_PROOF = "marriage_proof", _("Marriage certificate or proof of single status")
    CREDIT_REPORT = "credit_report", _("Credit bureau report")
    PURCHASE_CONTRACT = "purchase_contract", _("Purchase contract")
    DOWN_PAYMENT_PROOF = "down_payment_proof", _("Proof of down payment")
    PROPERTY_CERTIFICATE = "property_certificate", _("Property ownership certificate")
    BUSINESS_LICENSE = "business_license", _("Business licence")
    PURPOSE_PROOF = "purpose_proof", _("Proof of loan purpose")
    VEHICLE_INVOICE = "vehicle_invoice", _("Vehicle purchase invoice")
    GUARANTOR_DOCUMENTS = "guarantor_documents", _("Guarantor's documents")
    OTHER = "other", _("Other")


def labels(choices, codes) -> list[str]:
    names = dict(choices.choices)
    return [str(names.get(code, code)) for code in codes]
