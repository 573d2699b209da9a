"""The disbursement queue judges a page of applications at once
(``loans.selectors_disbursement``); it must say what ``loans.preconditions.unmet`` says of each
application alone."""

from datetime import timedelta

from applications.models import CreditWarning, LoanApplication, LoanProduct
from collateral.models import InsurancePolicy, Notarisation
from loans.preconditions import unmet
from loans.selectors_disbursement import unmet_by_application

from . import rows
from .pages_front import collaterals, contracts, decisions
from .rows import TODAY, D
from .world import make_world


def _policy(application, user, cover):
    InsurancePolicy.objects.create(
        application=application,
        insurer="中国人民财产保险股份有限公司北京分公司",
        policy_number=f"PICC-{rows.serial()}",
        cover_amount=cover,
        starts_on=TODAY - timedelta(days=30),
        ends_on=TODAY + timedelta(days=300),
        recorded_by=user,
    )


def test_the_queue_says_of_each_application_what_the_preconditions_say(origination):
    w = make_world()
    LoanProduct.objects.filter(code="HOUSING").update(requires_notarisation=True)

    ready = rows.application(w.officer, status="ready", code="HOUSING")
    contracts(ready, w.officer, 2)
    collaterals(ready, w.officer, 2, registered_by=w.registrar)
    Notarisation.objects.create(
        application=ready,
        notary_office="北京市方圆公证处",
        certificate_number="(2026)京方圆内经证字第1号",
        notarised_on=TODAY,
        recorded_by=w.officer,
    )
    registering = rows.application(w.officer, status="registering", code="HOUSING")
    contracts(registering, w.officer, 1, signed=False)
    collaterals(registering, w.officer, 2)  # not registered yet
    contracted = rows.application(w.officer, status="contracted", code="HOUSING")

    insured = rows.application(w.officer, status="ready", security_type="insurance")
    contracts(insured, w.officer, 1)
    decisions(insured, w.approver, 1)  # an escalation, not the approval
    _policy(insured, w.officer, D("100000.00"))
    short = rows.application(w.officer, status="ready", security_type="insurance")
    _policy(short, w.officer, D("50000.00"))
    uninsured = rows.application(w.officer, status="contracted", security_type="insurance")

    listed = rows.application(
        w.officer, status="ready", counterparty_name="", counterparty_account=""
    )
    CreditWarning.objects.create(id_number=listed.customer.id_number, reason="逾期", since=TODAY)
    lifted = rows.application(w.officer, status="ready")
    CreditWarning.objects.create(
        id_number=lifted.customer.id_number, reason="逾期", since=TODAY, lifted_on=TODAY
    )

    page = LoanApplication.objects.select_related("customer", "product").order_by("pk")
    judged = unmet_by_application(page)

    assert len(judged) == 8
    for application, conditions in judged:
        alone = unmet(LoanApplication.objects.get(pk=application.pk))
        assert conditions == alone, application.number
    codes = {application.pk: {c.code for c in conditions} for application, conditions in judged}
    assert codes[ready.pk] == set()
    assert codes[registering.pk] == {"status", "contracts", "registration", "notarisation"}
    assert codes[contracted.pk] == {"status", "contracts", "registration", "notarisation"}
    assert "insurance" in codes[short.pk] and "insurance" in codes[uninsured.pk]
    assert codes[listed.pk] == {"contracts", "counterparty", "warning_list"}
    assert codes[lifted.pk] == {"contracts"}
