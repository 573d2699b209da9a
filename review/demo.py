"""Demo customers and loan applications in every origination state (`manage.py seed_demo`).

Everything is created through the real services, as the demo staff of ``loancenter.demo``, so
numbers, audit rows, per-object permissions and separation of duties are all genuine. The
seeder is idempotent: once any demo customer has an application, it creates none again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from stdnum.cn import ric

from applications import services
from applications.catalog import SECURED_TYPES, DocumentKind, SecurityType
from applications.models import Customer, LoanApplication, LoanPrimeRate, LoanProduct, Status
from collateral import services as collateral_services
from loancenter import roles

from . import services as review_services
from .models import ApprovalDecision, AuthorityLimit, ReviewOpinion

PDF_BYTES = b"%PDF-1.4\n%%EOF\n"


def _id_number(region: str, birth: date, sequence: int) -> str:
    """A valid 18-digit 居民身份证 number (odd sequence: a man, even: a woman)."""
    body = f"{region}{birth:%Y%m%d}{sequence:03d}"
    return body + ric.calc_check_digit(body + "0")  # it ignores the last character


@dataclass(frozen=True)
class DemoCustomer:
    name: str
    id_number: str
    mobile: str
    address: str
    employer: str
    employment_years: int
    monthly_income: Decimal
    marital_status: str
    monthly_debt_payments: Decimal = Decimal("0")

    def data(self) -> dict:
        return {
            "name": self.name,
            "id_number": self.id_number,
            "mobile": self.mobile,
            "address": self.address,
            "employer": self.employer,
            "employment_years": self.employment_years,
            "monthly_income": self.monthly_income,
            "monthly_debt_payments": self.monthly_debt_payments,
            "marital_status": self.marital_status,
            "full_civil_capacity": True,
        }


CUSTOMERS: dict[str, DemoCustomer] = {
    customer.id_number: customer
    for customer in (
        DemoCustomer(
            "陈志强",
            _id_number("110105", date(1988, 3, 15), 931),
            "13910245876",
            "北京市朝阳区东三环中路39号院8号楼1203室",
            "北京华信云科技股份有限公司",
            9,
            Decimal("45000"),
            "married",
        ),
        DemoCustomer(
            "林晓燕",
            _id_number("310104", date(1991, 7, 8), 942),
            "13661835209",
            "上海市徐汇区漕溪北路88号2号楼1506室",
            "上海申康医疗器械有限公司",
            6,
            Decimal("28000"),
            "single",
        ),
        DemoCustomer(
            "黄俊杰",
            _id_number("440104", date(1983, 11, 22), 953),
            "13802476531",
            "广州市越秀区环市东路368号花园大厦2208室",
            "广州俊杰五金贸易有限公司(法定代表人)",
            12,
            Decimal("78000"),
            "married",
        ),
        DemoCustomer(
            "王丽华",
            _id_number("330106", date(1986, 5, 30), 964),
            "15967120348",
            "杭州市西湖区文三路259号昌地火炬大厦1号楼902室",
            "浙江启明教育科技有限公司",
            7,
            Decimal("18000"),
            "married",
        ),
        DemoCustomer(
            "刘建国",
            _id_number("310101", date(1979, 9, 12), 975),
            "13816054713",
            "上海市黄浦区西藏南路1200号1801室",
            "上海浦江汽车配件有限公司",
            15,
            Decimal("22000"),
            "married",
        ),
        DemoCustomer(
            "赵敏",
            _id_number("420106", date(1993, 1, 26), 986),
            "17771203695",
            "武汉市武昌区中北路227号楚河汉街一号楼1009室",
            "武汉长江数字传媒有限公司",
            4,
            Decimal("12000"),
            "single",
        ),
        DemoCustomer(
            "孙浩然",
            _id_number("320102", date(1990, 12, 3), 997),
            "13951862047",
            "南京市玄武区中山路18号德基广场二期公寓2506室",
            "江苏金陵智能电网有限公司",
            8,
            Decimal("35000"),
            "married",
        ),
        DemoCustomer(
            "周雅琴",
            _id_number("370202", date(1985, 4, 17), 908),
            "15192683470",
            "青岛市市南区香港中路76号颐和国际A座1602室",
            "青岛海润国际物流有限公司",
            10,
            Decimal("26000"),
            "divorced",
        ),
        DemoCustomer(
            "吴志明",
            _id_number("110108", date(1981, 8, 9), 919),
            "13601137852",
            "北京市海淀区中关村大街27号中关村大厦1106室",
            "北京志明餐饮管理有限公司(法定代表人)",
            11,
            Decimal("50000"),
            "married",
        ),
        DemoCustomer(
            "郑凯",
            _id_number("210202", date(1987, 10, 25), 929),
            "18940257316",
            "大连市中山区人民路68号宏誉大厦1203室",
            "大连远洋船舶服务有限公司",
            5,
            Decimal("20000"),
            "married",
            monthly_debt_payments=Decimal("6500"),
        ),
    )
}
DEMO_ID_NUMBERS = tuple(CUSTOMERS)
_by_name = {customer.name: customer.id_number for customer in CUSTOMERS.values()}

_DOCUMENT_NAMES = {
    DocumentKind.ID_CARD: "身份证正反面.pdf",
    DocumentKind.INCOME_PROOF: "收入证明.pdf",
    DocumentKind.BANK_STATEMENT: "近六个月银行流水.pdf",
    DocumentKind.MARRIAGE_PROOF: "婚姻状况证明.pdf",
    DocumentKind.CREDIT_REPORT: "个人信用报告.pdf",
    DocumentKind.PURCHASE_CONTRACT: "商品房买卖合同.pdf",
    DocumentKind.DOWN_PAYMENT_PROOF: "首付款收据.pdf",
    DocumentKind.BUSINESS_LICENSE: "营业执照.pdf",
    DocumentKind.PURPOSE_PROOF: "用途证明.pdf",
    DocumentKind.VEHICLE_INVOICE: "购车发票.pdf",
    DocumentKind.GUARANTOR_DOCUMENTS: "保证人身份及收入证明.pdf",
}


@dataclass(frozen=True)
class DemoApplication:
    """One application and how far it goes: ``goal`` is the state it must end in."""

    customer: str  # the customer's name in CUSTOMERS
    product: str
    amount: Decimal
    term_months: int
    spread_bp: int
    purpose: str
    security_type: str
    goal: str
    counterparty: tuple[str, str, str] = ("", "", "")
    payment_mode: str = "entrusted"
    repayment_method: str = "equal_installment"
    term_reason: str = ""
    guarantor: dict | None = None
    draw: float = 0.99  # on-site sampling: 0.99 is never drawn (business loans always are)
    survey_opinion: str = "借款人身份、收入及用途经核实无误,还款来源充足,建议同意。"
    review: str = ReviewOpinion.AGREE
    review_text: str = "资料齐全、合规,用途真实,还款能力充足,同意提交审批。"
    decisions: tuple[tuple[str, str, str], ...] = field(default=())  # (username, decision, why)
    conditions: str = ""
    withdraw_reason: str = ""


_DEVELOPER = ("北京万和置业有限公司", "11001028600056012345", "中国建设银行北京朝阳支行")

APPLICATIONS: tuple[DemoApplication, ...] = (
    DemoApplication(
        "赵敏",
        "CONSUMER",
        Decimal("80000"),
        36,
        150,
        "家庭装修(厨卫翻新及家具购置)",
        SecurityType.CREDIT,
        Status.DRAFT,
        payment_mode="self",
    ),
    DemoApplication(
        "刘建国",
        "AUTO",
        Decimal("180000"),
        36,
        50,
        "购买自用家庭轿车(比亚迪汉EV)",
        SecurityType.PLEDGE,
        Status.SUBMITTED,
        counterparty=(
            "上海申比汽车销售服务有限公司",
            "31050162540000001234",
            "中国银行上海黄浦支行",
        ),
    ),
    DemoApplication(
        "王丽华",
        "CONSUMER",
        Decimal("200000"),
        60,
        100,
        "自住房屋装修",
        SecurityType.GUARANTEE,
        Status.SURVEYING,
        counterparty=("杭州匠心装饰工程有限公司", "33050161630000005678", "招商银行杭州西湖支行"),
        guarantor={
            "kind": "person",
            "name": "王建明",
            "id_number": _id_number("330106", date(1983, 2, 14), 911),
            "mobile": "13905712846",
            "relationship": "兄妹",
            "guarantee_capacity": Decimal("300000"),
        },
    ),
    DemoApplication(
        "孙浩然",
        "HOUSING",
        Decimal("900000"),
        300,
        -20,
        "购买首套自住普通住房(南京市玄武区)",
        SecurityType.MORTGAGE,
        Status.REVIEWING,
        counterparty=(
            "南京金陵置业发展有限公司",
            "32001881736050012345",
            "中国工商银行南京玄武支行",
        ),
        draw=0.1,  # drawn for an on-site visit (20% sampling)
    ),
    DemoApplication(
        "周雅琴",
        "AUTO",
        Decimal("250000"),
        48,
        80,
        "购买自用车辆(丰田凯美瑞双擎)",
        SecurityType.PLEDGE,
        Status.APPROVING,
        counterparty=(
            "青岛丰华丰田汽车销售服务有限公司",
            "37101986601051234567",
            "交通银行青岛市南支行",
        ),
    ),
    DemoApplication(
        "陈志强",
        "HOUSING",
        Decimal("1500000"),
        360,
        0,
        "购买改善型自住普通住房(北京市朝阳区)",
        SecurityType.MORTGAGE,
        Status.ESCALATED,
        counterparty=_DEVELOPER,
        decisions=(
            (
                roles.APPROVER,
                ApprovalDecision.APPROVE,
                "收入稳定,首付比例四成,抵押充足;金额超出本人权限,报中心主任审批。",
            ),
        ),
        conditions="落实抵押预告登记后放款",
    ),
    DemoApplication(
        "林晓燕",
        "HOUSING",
        Decimal("800000"),
        240,
        -20,
        "购买首套自住普通住房(上海市徐汇区)",
        SecurityType.MORTGAGE,
        Status.APPROVED,
        counterparty=(
            "上海徐汇滨江房地产开发有限公司",
            "31001520313050023456",
            "上海浦东发展银行徐汇支行",
        ),
        decisions=(
            (roles.APPROVER, ApprovalDecision.APPROVE, "借款人资信良好,月供收入比合理,同意。"),
        ),
        conditions="落实抵押预告登记后放款",
    ),
    DemoApplication(
        "黄俊杰",
        "BUSINESS",
        Decimal("2000000"),
        120,
        100,
        "采购五金建材库存,补充经营周转资金",
        SecurityType.MORTGAGE,
        Status.APPROVED,
        counterparty=(
            "佛山南海宏达金属制品有限公司",
            "44050166830000012345",
            "中国农业银行佛山南海支行",
        ),
        term_reason="以自有商铺抵押,经营现金流稳定,按十年期匹配商铺租金及经营回款。",
        survey_opinion="已实地查看经营场所及库存,经营三年以上,流水稳定,抵押物权属清晰,建议同意。",
        decisions=(
            (
                roles.APPROVER,
                ApprovalDecision.APPROVE,
                "经营稳定,抵押充足;金额超出本人权限,报中心主任审批。",
            ),
            (roles.DIRECTOR, ApprovalDecision.APPROVE, "同意审批意见,按受托支付方式发放。"),
        ),
        conditions="办妥商铺抵押登记;贷款资金受托支付至供货商账户",
    ),
    DemoApplication(
        "郑凯",
        "CONSUMER",
        Decimal("300000"),
        60,
        250,
        "家庭耐用消费品购置及装修",
        SecurityType.CREDIT,
        Status.REJECTED,
        counterparty=(
            "大连美居装饰工程有限公司",
            "21201501200053012345",
            "中国建设银行大连中山支行",
        ),
        survey_opinion="收入属实,但现有负债较高,建议审慎。",
        review=ReviewOpinion.DISAGREE,
        review_text="借款人现有月还款额较高,综合负债收入比接近六成,不同意。",
        decisions=(
            (roles.APPROVER, ApprovalDecision.REJECT, "综合负债率过高,还款能力不足,不予批准。"),
        ),
    ),
    DemoApplication(
        "吴志明",
        "BUSINESS",
        Decimal("600000"),
        60,
        150,
        "新开门店装修及设备采购",
        SecurityType.MORTGAGE,
        Status.RETURNED,
        counterparty=("北京鼎盛厨房设备有限公司", "11050138360000045678", "北京银行中关村支行"),
        survey_opinion="已实地查看现有门店,经营正常,建议同意。",
        review=ReviewOpinion.RETURN,
        review_text="请补充企业近六个月对公账户流水及新店租赁合同。",
    ),
    DemoApplication(
        "林晓燕",
        "CONSUMER",
        Decimal("100000"),
        24,
        200,
        "购置家具家电",
        SecurityType.CREDIT,
        Status.WITHDRAWN,
        payment_mode="self",
        withdraw_reason="客户已以自有资金支付,申请撤回。",
    ),
)


def seed_origination_demo() -> None:
    """Customers and applications in every origination state, unless already there."""
    _ensure_defaults()
    User = get_user_model()
    staff = {username: User.objects.get(username=username) for username in _STAFF_NEEDED}
    officer = staff[roles.LOAN_OFFICER]
    for customer in CUSTOMERS.values():
        if not Customer.objects.filter(id_number=customer.id_number).exists():
            services.create_customer(user=officer, data=customer.data())
    if LoanApplication.objects.filter(customer__id_number__in=DEMO_ID_NUMBERS).exists():
        return
    for spec in APPLICATIONS:
        _walk(spec, staff)


_STAFF_NEEDED = (
    roles.LOAN_OFFICER,
    roles.INVESTIGATOR,
    roles.REVIEWER,
    roles.APPROVER,
    roles.DIRECTOR,
)


def _ensure_defaults() -> None:
    """Products, LPR and authority limits come from migrations; after a database flush (the
    browser tests do one) they are put back from the same defaults."""
    if not LoanProduct.objects.exists() or not LoanPrimeRate.objects.exists():
        from applications.defaults import seed_defaults

        seed_defaults(LoanPrimeRate, LoanProduct)
    if not AuthorityLimit.objects.exists():
        from django.contrib.auth.models import Group

        from .defaults import seed_defaults

        seed_defaults(Group, AuthorityLimit)


def application_terms(spec, product) -> dict:
    """The application form's data from a demo definition (the servicing demo uses it too)."""
    name, account, bank = spec.counterparty
    return {
        "product": product,
        "amount": spec.amount,
        "term_months": spec.term_months,
        "term_reason": getattr(spec, "term_reason", ""),
        "rate_spread_bp": spec.spread_bp,
        "purpose": spec.purpose,
        "repayment_method": spec.repayment_method,
        "security_type": spec.security_type,
        "payment_mode": spec.payment_mode,
        "counterparty_name": name,
        "counterparty_account": account,
        "counterparty_bank": bank,
    }


def _walk(spec: DemoApplication, staff) -> LoanApplication:
    officer, investigator = staff[roles.LOAN_OFFICER], staff[roles.INVESTIGATOR]
    customer = Customer.objects.get(id_number=_by_name[spec.customer])
    product = LoanProduct.objects.get(code=spec.product)
    application = services.create_application(
        user=officer, customer=customer, data=application_terms(spec, product)
    )
    if spec.guarantor:
        services.add_guarantor(user=officer, application=application, data=spec.guarantor)
    if spec.security_type in SECURED_TYPES:
        collateral_services.add_collateral(
            user=officer, application=application, data=_collateral(application, customer)
        )
    if spec.goal == Status.DRAFT:  # still being entered: only the identity card so far
        upload_documents(officer, application, [DocumentKind.ID_CARD])
        return _check(application, spec)

    kinds = list(product.required_documents)
    if spec.guarantor:
        kinds.append(DocumentKind.GUARANTOR_DOCUMENTS)
    upload_documents(officer, application, kinds)
    services.submit_application(user=officer, application=application)
    if spec.goal == Status.WITHDRAWN:
        services.withdraw_application(
            user=officer, application=application, reason=spec.withdraw_reason
        )
    if spec.goal in (Status.SUBMITTED, Status.WITHDRAWN):
        return _check(application, spec)

    application = services.claim_survey(user=investigator, application=application, draw=spec.draw)
    services.confirm_survey(user=officer, application=application, data=_survey(application, spec))
    if spec.goal == Status.SURVEYING:  # the investigator has yet to confirm
        return _check(application, spec)
    services.confirm_survey(
        user=investigator, application=application, data=_survey(application, spec)
    )
    if spec.goal == Status.REVIEWING:
        return _check(application, spec)

    review_services.review_application(
        user=staff[roles.REVIEWER], application=application, data=_review(application, spec)
    )
    for username, decision, reasons in spec.decisions:
        application.refresh_from_db()
        review_services.decide_application(
            user=staff[username],
            application=application,
            data=_decision(application, spec, decision, reasons),
        )
    return _check(application, spec)


_COLLATERAL_KINDS = {"housing": "house", "business": "shop", "auto": "vehicle"}


def _collateral(application: LoanApplication, customer) -> dict:
    """Appraised at 1.6 times the amount: a loan-to-value of 62.5%."""
    kind = _COLLATERAL_KINDS.get(application.product.category, "deposit")
    number = f"{application.number[-6:]}"
    described = {
        "house": ("住宅", f"京(2025)不动产权第{number}号"),
        "shop": ("商铺", f"粤(2024)佛山市不动产权第{number}号"),
        "vehicle": ("小型轿车", f"机动车登记证书{number}"),
        "deposit": ("定期存单", f"存单{number}"),
    }[kind]
    return {
        "kind": kind,
        "description": f"{customer.address} {described[0]}",
        "owner_name": customer.name,
        "owner_is_borrower": True,
        "certificate_number": described[1],
        "location": customer.address,
        "appraised_value": (application.amount * Decimal("1.6")).quantize(Decimal("0.01")),
        "appraisal_date": date(2026, 11, 2),
        "appraisal_agency": "中诚房地产土地资产评估有限公司",
    }


def _check(application: LoanApplication, spec: DemoApplication) -> LoanApplication:
    application.refresh_from_db()
    if application.status != spec.goal:  # a demo definition no longer fits the rules
        raise RuntimeError(
            f"Demo application {application.number} ended {application.status}, not {spec.goal}."
        )
    return application


def upload_documents(officer, application, kinds) -> None:
    """Upload a minimal PDF under a realistic name for each document kind."""
    for kind in kinds:
        upload = ContentFile(PDF_BYTES, name=_DOCUMENT_NAMES.get(kind, f"{kind}.pdf"))
        services.upload_document(user=officer, application=application, kind=kind, uploaded=upload)


def _survey(application: LoanApplication, spec: DemoApplication) -> dict:
    return {
        "interview_date": timezone.localdate(),
        "interview_mode": "in_person",
        "onsite_visit_done": bool(application.onsite_survey_required),
        "identity_verified": True,
        "income_verified": True,
        "purpose_verified": True,
        "repayment_source_verified": True,
        "guarantor_capacity_verified": spec.security_type == SecurityType.GUARANTEE,
        "collateral_verified": spec.security_type in SECURED_TYPES,
        "recommended_amount": application.amount,
        "recommended_term_months": application.term_months,
        "recommended_rate": application.annual_rate,
        "recommendation": "recommend",
        "opinion": spec.survey_opinion,
    }


def _review(application: LoanApplication, spec: DemoApplication) -> dict:
    agrees = spec.review == ReviewOpinion.AGREE
    return {
        "checklist": {
            code: agrees or code == "documents_complete" for code, _label in ReviewOpinion.CHECKLIST
        },
        "proposed_amount": application.amount,
        "proposed_term_months": application.term_months,
        "proposed_rate": application.annual_rate,
        "proposed_method": application.repayment_method,
        "decision": spec.review,
        "text": spec.review_text,
        # the center's housing discount prices some loans below the score's suggested spread
        "departure_reason": "执行住房贷款定价优惠政策,利率低于评分建议加点,风险可控。"
        if spec.spread_bp < 0
        else "",
    }


def _decision(application: LoanApplication, spec, decision: str, reasons: str) -> dict:
    return {
        "decision": decision,
        "amount": application.amount,
        "term_months": application.term_months,
        "annual_rate": application.annual_rate,
        "repayment_method": application.repayment_method,
        "security_type": application.security_type,
        "conditions": spec.conditions if decision == ApprovalDecision.APPROVE else "",
        "reasons": reasons,
    }
