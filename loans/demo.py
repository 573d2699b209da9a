"""Demo loans after approval: registration, ready to disburse, disbursed and repaid.

``manage.py seed_demo`` runs this after the origination demo (``review.demo``). Every loan is
walked through the real services as the demo staff: application, survey, review and approval,
contracts generated and signed (PDFs and numbers are genuine), mortgage registration by the
registrar and the disbursement supervisor, disbursement, then repayments by automatic debit.

Signing moves a secured loan straight on to registration and an unsecured one to ready to
disburse, so "contracted" shows only in the audit trail. The disbursed loans have value dates
in the past, counted back from today, so that installments have fallen due: two are paid on
time, one stopped paying after its first installments, one has never paid.

Contracts are generated and signed today (the signing service refuses any other date), so the
value dates of the disbursed loans come before their signing: a demo shortcut.

The seeder is idempotent: once any of its customers has an application, it creates none again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from applications import services
from applications.catalog import SECURED_TYPES, SecurityType
from applications.models import Customer, LoanApplication, LoanProduct, Status
from collateral import services as collateral_services
from loancenter import roles
from loancenter.repayment import add_months
from review import services as review_services
from review.demo import DemoCustomer, application_terms, upload_documents
from review.models import ApprovalDecision, ReviewOpinion

from .models import Channel, LoanAccount
from .services.contracts import generate_contracts, sign_contracts, suggested_signers
from .services.disbursement import disburse
from .services.repayments import post_repayment

# Valid 居民身份证 numbers (region 110105 北京朝阳 or 310104 上海徐汇, born 1980-1995; an odd
# 17th digit is a man, an even one a woman), checked by stdnum in the tests.
MA_GUODONG = "11010519840618513X"
SHEN_JIAYI = "31010419890227524X"
GAO_WENBO = "110105198209045357"
XU_JING = "310104199305115461"
HE_YONGGANG = "110105198712215579"
JIANG_XUEMEI = "310104198508305682"
CAO_YUHANG = "110105199104095790"
PENG_LIXIN = "310104198010165811"

CUSTOMERS: dict[str, DemoCustomer] = {
    customer.id_number: customer
    for customer in (
        DemoCustomer(
            "马国栋",
            MA_GUODONG,
            "13911386420",
            "北京市朝阳区朝阳北路237号复星国际中心2号楼1708室",
            "中国中铁电气化局集团有限公司",
            14,
            Decimal("32000"),
            "married",
        ),
        DemoCustomer(
            "沈佳怡",
            SHEN_JIAYI,
            "13764205918",
            "上海市徐汇区天钥桥路123号永新广场1203室",
            "上海交通大学医学院附属瑞金医院",
            8,
            Decimal("30000"),
            "married",
        ),
        DemoCustomer(
            "高文博",
            GAO_WENBO,
            "13801158672",
            "北京市朝阳区光华路9号时尚大厦1905室",
            "北京文博印务有限公司(法定代表人)",
            13,
            Decimal("65000"),
            "married",
        ),
        DemoCustomer(
            "许静",
            XU_JING,
            "18621739054",
            "上海市徐汇区宜山路700号B2栋1102室",
            "上海汇金会计师事务所(特殊普通合伙)",
            5,
            Decimal("16000"),
            "single",
        ),
        DemoCustomer(
            "何永刚",
            HE_YONGGANG,
            "13501296387",
            "北京市朝阳区望京街10号望京SOHO塔3号楼2206室",
            "京东方科技集团股份有限公司",
            11,
            Decimal("38000"),
            "married",
        ),
        DemoCustomer(
            "蒋雪梅",
            JIANG_XUEMEI,
            "13917642083",
            "上海市徐汇区钦州北路1089号4号楼602室",
            "上海市徐汇区第一中心小学",
            16,
            Decimal("21000"),
            "married",
        ),
        DemoCustomer(
            "曹宇航",
            CAO_YUHANG,
            "15810473629",
            "北京市朝阳区酒仙桥路4号751园区D座305室",
            "北京宇航创意设计有限公司(法定代表人)",
            7,
            Decimal("55000"),
            "married",
        ),
        DemoCustomer(
            "彭立新",
            PENG_LIXIN,
            "13621958407",
            "上海市徐汇区龙华中路596号绿地中心A座1510室",
            "上海立新物业管理有限公司",
            18,
            Decimal("19000"),
            "divorced",
            monthly_debt_payments=Decimal("1800"),
        ),
    )
}
DEMO_ID_NUMBERS = tuple(CUSTOMERS)

# How far each loan goes.
REGISTRATION_PENDING = "registration_pending"  # registering: nothing submitted yet
REGISTRATION_SUBMITTED = "registration_submitted"  # registering: at the registry
READY = "ready"  # certificate received (secured) or signed (unsecured)
DISBURSED = "disbursed"
EXPECTED_STATUS = {
    REGISTRATION_PENDING: Status.REGISTERING,
    REGISTRATION_SUBMITTED: Status.REGISTERING,
    READY: Status.READY,
    DISBURSED: Status.DISBURSED,
}
ALL_DUE = None  # pay every installment due so far, each on its due date


@dataclass(frozen=True)
class DemoCollateral:
    kind: str
    location: str
    what: str  # 住宅, 商铺, the vehicle's model
    certificate_number: str
    area: Decimal | None
    registry_office: str
    registered_certificate: str  # the 他项权证 the registry issues


@dataclass(frozen=True)
class DemoLoan:
    customer: str  # id number in CUSTOMERS
    product: str
    amount: Decimal
    term_months: int
    spread_bp: int
    purpose: str
    security_type: str
    stage: str
    counterparty: tuple[str, str, str] = ("", "", "")
    payment_mode: str = "entrusted"
    repayment_method: str = "equal_installment"
    collateral: DemoCollateral | None = None
    survey_opinion: str = "借款人身份、收入及用途经核实无误,还款来源充足,建议同意。"
    conditions: str = ""
    repayment_account: str = ""
    insurance: tuple[str, str, Decimal] | None = None  # insurer, policy number, cover
    value_date_back: tuple[int, int] = (0, 0)  # (months, days) before today
    paid_installments: int | None = ALL_DUE

    def value_date(self, today: date) -> date:
        months, days = self.value_date_back
        return add_months(today, -months) - timedelta(days=days)


LOANS: tuple[DemoLoan, ...] = (
    DemoLoan(
        MA_GUODONG,
        "HOUSING",
        Decimal("950000"),
        300,
        -20,
        "购买首套自住普通住房(北京市朝阳区)",
        SecurityType.MORTGAGE,
        REGISTRATION_PENDING,
        counterparty=(
            "北京金隅嘉业房地产开发有限公司",
            "11050162540000008866",
            "中国建设银行北京朝阳支行",
        ),
        collateral=DemoCollateral(
            "house",
            "北京市朝阳区广渠路36号院金隅汇景苑5号楼1102室",
            "住宅",
            "京(2026)朝阳区不动产权第0031586号",
            Decimal("96.40"),
            "北京市朝阳区不动产登记中心",
            "",
        ),
        conditions="落实抵押登记后放款",
    ),
    DemoLoan(
        GAO_WENBO,
        "BUSINESS",
        Decimal("900000"),
        60,
        80,
        "采购印刷设备及纸张原料,补充经营周转资金",
        SecurityType.MORTGAGE,
        REGISTRATION_SUBMITTED,
        counterparty=(
            "海德堡印刷设备(北京)有限公司",
            "11001018500053001234",
            "中国银行北京国贸支行",
        ),
        collateral=DemoCollateral(
            "shop",
            "北京市朝阳区百子湾路32号苹果社区北区3号楼底商105室",
            "商铺",
            "京(2019)朝阳区不动产权第0087412号",
            Decimal("132.80"),
            "北京市朝阳区不动产登记中心",
            "",
        ),
        survey_opinion="已实地查看经营场所、设备及订单,经营八年,对公流水稳定,商铺权属清晰,建议同意。",
        conditions="办妥商铺抵押登记;贷款资金受托支付至设备供应商账户",
    ),
    DemoLoan(
        SHEN_JIAYI,
        "HOUSING",
        Decimal("780000"),
        240,
        -10,
        "购买首套自住普通住房(上海市徐汇区)",
        SecurityType.MORTGAGE,
        READY,
        counterparty=("上海绿地徐汇置业有限公司", "31001520313050045678", "交通银行上海徐汇支行"),
        collateral=DemoCollateral(
            "house",
            "上海市徐汇区龙吴路1555弄绿地云都会12号1802室",
            "住宅",
            "沪(2026)徐字不动产权第014273号",
            Decimal("88.60"),
            "上海市徐汇区不动产登记事务中心",
            "沪(2026)徐字不动产证明第008915号",
        ),
        conditions="落实抵押登记后放款",
    ),
    DemoLoan(
        XU_JING,
        "CONSUMER",
        Decimal("150000"),
        36,
        180,
        "进修在职工商管理硕士(MBA)学费",
        SecurityType.CREDIT,
        READY,
        payment_mode="self",
        repayment_account="6222021001128765432",
    ),
    DemoLoan(
        HE_YONGGANG,
        "HOUSING",
        Decimal("880000"),
        300,
        -20,
        "购买首套自住普通住房(北京市朝阳区)",
        SecurityType.MORTGAGE,
        DISBURSED,
        counterparty=("北京首开仁信置业有限公司", "11050138360000067890", "北京银行望京支行"),
        collateral=DemoCollateral(
            "house",
            "北京市朝阳区望京西路48号院首开金茂府7号楼903室",
            "住宅",
            "京(2026)朝阳区不动产权第0012877号",
            Decimal("92.30"),
            "北京市朝阳区不动产登记中心",
            "京(2026)朝阳区不动产证明第0009431号",
        ),
        conditions="落实抵押登记后放款",
        repayment_account="6217000010087654321",
        value_date_back=(7, 5),
    ),
    DemoLoan(
        JIANG_XUEMEI,
        "AUTO",
        Decimal("200000"),
        36,
        50,
        "购买自用家庭轿车(上汽大众ID.4 CROZZ)",
        SecurityType.PLEDGE,
        DISBURSED,
        counterparty=(
            "上海永达大众汽车销售服务有限公司",
            "31050161360000009012",
            "中国工商银行上海徐汇支行",
        ),
        collateral=DemoCollateral(
            "vehicle",
            "上海市徐汇区钦州北路1089号4号楼(车辆常驻地)",
            "上汽大众ID.4 CROZZ 纯电动小型轿车",
            "机动车登记证书310104587236",
            None,
            "上海市公安局交通警察总队车辆管理所",
            "沪车管抵(2026)第0417265号",
        ),
        conditions="办妥车辆抵押登记后放款",
        repayment_account="6225880212345678",
        value_date_back=(3, 9),
    ),
    DemoLoan(
        CAO_YUHANG,
        "BUSINESS",
        Decimal("500000"),
        36,
        120,
        "承接展会设计项目,采购搭建材料及支付外包费用",
        SecurityType.MORTGAGE,
        DISBURSED,
        counterparty=("北京华展搭建工程有限公司", "11050188360000023456", "招商银行北京酒仙桥支行"),
        repayment_method="equal_principal",
        collateral=DemoCollateral(
            "house",
            "北京市朝阳区将台路5号院丽都水岸3号楼1601室",
            "住宅",
            "京(2021)朝阳区不动产权第0054219号",
            Decimal("118.20"),
            "北京市朝阳区不动产登记中心",
            "京(2026)朝阳区不动产证明第0010278号",
        ),
        survey_opinion="已实地查看经营场所及在手合同,经营七年,回款周期较长,抵押充足,建议同意。",
        conditions="办妥房产抵押登记;贷款资金受托支付至外包服务商账户",
        repayment_account="6214830100987654",
        value_date_back=(5, 19),
        paid_installments=2,
    ),
    DemoLoan(
        PENG_LIXIN,
        "CONSUMER",
        Decimal("120000"),
        24,
        250,
        "家庭装修及家电购置",
        SecurityType.CREDIT,
        DISBURSED,
        payment_mode="self",
        repayment_account="6228480030123456789",
        value_date_back=(6, 14),
        paid_installments=0,
    ),
)

_STAFF_NEEDED = (
    roles.LOAN_OFFICER,
    roles.INVESTIGATOR,
    roles.REVIEWER,
    roles.APPROVER,
    roles.MORTGAGE_REGISTRAR,
    roles.DISBURSEMENT_SUPERVISOR,
)


def seed_servicing_demo() -> None:
    """Customers and loans from registration to repayment, unless already there. The overdue
    sweep that shows the late ones as overdue runs after the post-loan demo adds its loans."""
    seed_demo_loans(CUSTOMERS.values(), LOANS)


def seed_demo_loans(customers, loans) -> list[LoanApplication]:
    """Create ``customers`` and walk each of ``loans`` as far as its stage, once: nothing is
    done when an application of these customers exists already."""
    User = get_user_model()
    staff = {username: User.objects.get(username=username) for username in _STAFF_NEEDED}
    officer = staff[roles.LOAN_OFFICER]
    id_numbers = [customer.id_number for customer in customers]
    for customer in customers:
        if not Customer.objects.filter(id_number=customer.id_number).exists():
            services.create_customer(user=officer, data=customer.data())
    if LoanApplication.objects.filter(customer__id_number__in=id_numbers).exists():
        return []
    today = timezone.localdate()
    return [_walk(spec, staff, today) for spec in loans]


def _walk(spec: DemoLoan, staff, today: date) -> LoanApplication:
    officer = staff[roles.LOAN_OFFICER]
    registrar = staff[roles.MORTGAGE_REGISTRAR]
    supervisor = staff[roles.DISBURSEMENT_SUPERVISOR]
    application = _approved(spec, staff)

    contracts = generate_contracts(user=officer, application=application)
    sign_contracts(
        user=officer,
        application=application,
        signed_on=today,
        mode="in_person",
        signers=suggested_signers(contracts),
    )
    application.refresh_from_db()
    if spec.security_type in SECURED_TYPES and spec.stage != REGISTRATION_PENDING:
        for registration in application.registrations.select_related("collateral"):
            collateral_services.submit_registration(
                user=registrar,
                registration=registration,
                registry_office=spec.collateral.registry_office,
                submitted_on=today,
            )
            if spec.stage == REGISTRATION_SUBMITTED:
                continue
            registration.refresh_from_db()
            collateral_services.complete_registration(
                user=registrar,
                registration=registration,
                certificate_number=spec.collateral.registered_certificate,
                registered_on=today,
            )
            collateral_services.hand_over_certificate(user=registrar, registration=registration)
            collateral_services.confirm_certificate_received(
                user=supervisor, registration=registration
            )
        application.refresh_from_db()

    if spec.stage == DISBURSED:
        account = disburse(
            user=supervisor,
            application=application,
            value_date=spec.value_date(today),
            repayment_account=spec.repayment_account,
        )
        _repay(account, spec, officer, today)
    return _check(application, spec)


def _approved(spec: DemoLoan, staff) -> LoanApplication:
    """Created, surveyed by two, reviewed and approved within the approver's authority."""
    officer, investigator = staff[roles.LOAN_OFFICER], staff[roles.INVESTIGATOR]
    customer = Customer.objects.get(id_number=spec.customer)
    product = LoanProduct.objects.get(code=spec.product)
    application = services.create_application(
        user=officer, customer=customer, data=application_terms(spec, product)
    )
    if spec.collateral is not None:
        collateral_services.add_collateral(
            user=officer,
            application=application,
            data=_collateral(application, customer, spec.collateral),
        )
    if spec.insurance is not None:
        insurer, policy_number, cover = spec.insurance
        starts_on = spec.value_date(timezone.localdate())
        collateral_services.record_insurance_policy(
            user=officer,
            application=application,
            data={
                "insurer": insurer,
                "policy_number": policy_number,
                "cover_amount": cover,
                "starts_on": starts_on,
                "ends_on": add_months(starts_on, spec.term_months + 1),
            },
        )
    upload_documents(officer, application, product.required_documents)
    services.submit_application(user=officer, application=application)
    application = services.claim_survey(user=investigator, application=application, draw=0.99)
    for surveyor in (officer, investigator):
        services.confirm_survey(
            user=surveyor, application=application, data=_survey(application, spec)
        )
    application.refresh_from_db()
    review_services.review_application(
        user=staff[roles.REVIEWER], application=application, data=_review(application)
    )
    application.refresh_from_db()
    review_services.decide_application(
        user=staff[roles.APPROVER], application=application, data=_decision(application, spec)
    )
    application.refresh_from_db()
    return application


def _collateral(application, customer, spec: DemoCollateral) -> dict:
    """Appraised at 1.6 times the amount: a loan-to-value of 62.5%."""
    return {
        "kind": spec.kind,
        "description": spec.what if spec.kind == "vehicle" else f"{spec.location} {spec.what}",
        "owner_name": customer.name,
        "owner_is_borrower": True,
        "certificate_number": spec.certificate_number,
        "location": spec.location,
        "area": spec.area,
        "appraised_value": (application.amount * Decimal("1.6")).quantize(Decimal("0.01")),
        "appraisal_date": timezone.localdate() - timedelta(days=20),
        "appraisal_agency": "中诚房地产土地资产评估有限公司"
        if spec.kind != "vehicle"
        else "上海众信二手车鉴定评估有限公司",
    }


def _survey(application, spec: DemoLoan) -> dict:
    return {
        "interview_date": timezone.localdate(),
        "interview_mode": "in_person",
        "onsite_visit_done": bool(application.onsite_survey_required),
        "identity_verified": True,
        "income_verified": True,
        "purpose_verified": True,
        "repayment_source_verified": True,
        "guarantor_capacity_verified": False,
        "collateral_verified": spec.security_type in SECURED_TYPES,
        "recommended_amount": application.amount,
        "recommended_term_months": application.term_months,
        "recommended_rate": application.annual_rate,
        "recommendation": "recommend",
        "opinion": spec.survey_opinion,
    }


def _review(application) -> dict:
    return {
        "checklist": {code: True for code, _label in ReviewOpinion.CHECKLIST},
        "proposed_amount": application.amount,
        "proposed_term_months": application.term_months,
        "proposed_rate": application.annual_rate,
        "proposed_method": application.repayment_method,
        "decision": ReviewOpinion.AGREE,
        "text": "资料齐全、合规,用途真实,还款能力充足,同意提交审批。",
        "departure_reason": "按产品定价政策执行,与评分建议的差异已核实,风险可控。",
    }


def _decision(application, spec: DemoLoan) -> dict:
    return {
        "decision": ApprovalDecision.APPROVE,
        "amount": application.amount,
        "term_months": application.term_months,
        "annual_rate": application.annual_rate,
        "repayment_method": application.repayment_method,
        "security_type": application.security_type,
        "conditions": spec.conditions,
        "reasons": "借款人资信良好,收入稳定,月供收入比合理,同意。",
    }


def _repay(account: LoanAccount, spec: DemoLoan, officer, today: date) -> None:
    """Automatic debits on the due dates: every installment due so far, or the first few."""
    due = list(account.installments.filter(due_date__lte=today).order_by("period"))
    paying = due if spec.paid_installments is ALL_DUE else due[: spec.paid_installments]
    for installment in paying:
        post_repayment(
            user=officer,
            account=account,
            amount=installment.payment_due,
            paid_on=installment.due_date,
            channel=Channel.AUTO_DEBIT,
            reference=f"DEMO-{account.number}-{installment.period:02d}",
        )


def _check(application: LoanApplication, spec: DemoLoan) -> LoanApplication:
    application.refresh_from_db()
    if application.status != EXPECTED_STATUS[spec.stage]:  # a definition no longer fits the rules
        raise RuntimeError(
            f"Demo application {application.number} ended {application.status}, "
            f"not {EXPECTED_STATUS[spec.stage]}."
        )
    return application
