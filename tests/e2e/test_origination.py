"""Browser journeys of origination, in Chinese: intake → two-person survey → review → approval.

The live server runs on a transactional database, so each test asks for ``origination`` to
have the products, the LPR and the authority limits.
"""

import re
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from applications import services
from applications.models import LoanApplication
from tests.e2e.navigation import nav, switch_user
from tests.origination import PDF_BYTES, id_number, make_customer, reviewed

PDF_FILE = {"name": "x.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}


# --- helpers -------------------------------------------------------------------------------


def open_from_queue(page, number):
    nav(page, "queue").click()
    expect(page.get_by_role("heading", name="我的待办")).to_be_visible()
    page.get_by_test_id("queue-table").get_by_role("link", name=number).click()
    expect(page.get_by_role("heading", name=re.compile(number))).to_be_visible()


def confirm_survey(page, opinion):
    page.get_by_role("link", name="确认调查").click()
    expect(page.get_by_role("heading", name=re.compile("确认调查"))).to_be_visible()
    # The date defaults to today; the on-site box is pre-ticked when the draw demands a visit.
    expect(page.get_by_label("面谈日期")).not_to_have_value("")
    if page.get_by_text("本笔贷款须实地调查。").is_visible():
        expect(page.get_by_label("已实地调查")).to_be_checked()
    page.get_by_label("面谈方式").select_option(label="当面")
    for box in (
        "已实地调查",
        "身份已核实",
        "收入已核实",
        "贷款用途已核实",
        "还款来源已核实",
        "抵押物权属和价值已核实",
    ):
        page.get_by_label(box).check()
    page.locator("[name=recommendation]").select_option(label="建议发放")
    page.locator("[name=opinion]").fill(opinion)
    page.get_by_role("button", name="确认", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="调查已确认。")).to_be_visible()


def decide(page, decision, reasons):
    page.get_by_test_id("review-panel").get_by_role("link", name="审批", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("审批"))).to_be_visible()
    page.get_by_label("审批结论").select_option(label=decision)
    page.get_by_label("理由").fill(reasons)
    page.get_by_role("button", name="提交审批意见").click()


# --- journeys ------------------------------------------------------------------------------


def test_a_housing_loan_goes_from_intake_to_approval_within_the_approvers_authority(
    page, sign_in, origination, loan_officer, investigator, reviewer, approver
):
    # 1. The loan officer records the customer …
    sign_in(loan_officer.username)
    nav(page, "customers").click()
    page.get_by_role("link", name="新建客户").click()
    expect(page.get_by_role("heading", name="新建客户")).to_be_visible()
    identity = id_number()
    page.get_by_label("姓名").fill("李四")
    page.get_by_label("居民身份证号码").fill(identity)
    page.get_by_label("手机号码").fill("13912345678")
    page.get_by_label("住址").fill("北京市海淀区中关村大街1号")
    page.get_by_label("工作单位").fill("北京某软件有限公司")
    page.get_by_label("本单位工作年限").fill("6")
    page.get_by_label("月收入").fill("30000")
    page.get_by_label("现有债务月还款额").fill("0")
    page.get_by_label("婚姻状况").select_option(label="已婚")
    page.get_by_label("完全民事行为能力").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已录入客户 李四。")
    expect(page.get_by_role("heading", name="李四")).to_be_visible()

    # … opens an application for a home …
    page.get_by_role("link", name="新建申请").click()
    expect(page.get_by_role("heading", name="新建申请")).to_be_visible()
    page.get_by_label("产品").select_option(label="个人住房贷款")
    page.locator("[name=amount]").fill("800000")
    page.get_by_label("期限(月)").fill("240")
    page.get_by_label("LPR 加点(基点)").fill("0")
    page.get_by_label("贷款用途").fill("购买自住普通住房")
    page.get_by_label("还款方式").select_option(label="等额本息")
    page.get_by_label("担保方式").select_option(label="抵押")
    page.get_by_label("支付方式").select_option(label="受托支付(支付给交易对手)")
    page.locator("[name=counterparty_name]").fill("北京某房地产开发有限公司")
    page.locator("[name=counterparty_account]").fill("11050162540000000001")
    page.locator("[name=counterparty_bank]").fill("中国建设银行北京分行")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("已创建申请")
    status = page.get_by_test_id("status")
    expect(status).to_have_text("录入")
    expect(page.get_by_test_id("amount")).to_have_text("800,000.00")
    expect(page.get_by_test_id("missing-documents")).to_contain_text("身份证")

    # … has every document but the identity card on file (through the service, for speed)
    # and uploads the identity card through the page.
    application = LoanApplication.objects.get(customer__id_number=identity)
    number = application.number
    for kind in application.product.required_documents:
        if kind != "id_card":
            uploaded = SimpleUploadedFile(f"{kind}.pdf", PDF_BYTES, "application/pdf")
            services.upload_document(
                user=loan_officer, application=application, kind=kind, uploaded=uploaded
            )
    page.reload()
    expect(page.get_by_test_id("missing-documents")).to_have_text("还缺: 身份证")
    upload = page.get_by_test_id("upload-form")
    upload.get_by_label("材料").select_option(label="身份证")
    upload.get_by_label("文件").set_input_files(PDF_FILE)
    upload.get_by_role("button", name="上传").click()
    expect(page.get_by_role("alert")).to_contain_text("材料已上传。")
    expect(page.get_by_test_id("missing-documents")).to_have_count(0)
    expect(page.get_by_role("link", name="x.pdf")).to_be_visible()

    # … records the mortgaged flat through the security panel (loan-to-value 62.5%) …
    security = page.get_by_test_id("collateral-panel")
    security.get_by_text("登记押品", exact=True).click()
    security.get_by_label("类型").select_option(label="住宅")
    security.get_by_label("描述").fill("建国路1号院2号楼301室")
    security.locator("[name=owner_name]").fill("张三")  # "所有权人" also starts another label
    security.get_by_label("权属证书编号").fill("京(2024)朝阳区不动产权第0012345号")
    security.get_by_label("坐落").fill("北京市朝阳区建国路1号院2号楼301室")
    security.get_by_label("评估价值").fill("1280000")
    security.get_by_label("评估日期").fill("2026-11-01")
    security.get_by_label("评估机构").fill("北京某房地产估价有限公司")
    security.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert")).to_contain_text("押品已登记。")
    expect(page.get_by_test_id("ltv")).to_contain_text("62.50%")

    page.get_by_role("button", name="提交", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text("已提交调查。")
    expect(status).to_have_text("已提交")

    # 2. The investigator takes it from the queue and confirms the survey.
    switch_user(page, sign_in, investigator.username)
    open_from_queue(page, number)
    page.get_by_role("button", name="领取调查").click()
    expect(page.get_by_role("alert")).to_contain_text(f"您已领取 {number} 的调查。")
    expect(status).to_have_text("调查中")
    confirm_survey(page, "实地查看房产,借款人收入稳定,建议同意。")
    expect(status).to_have_text("调查中")  # waiting for the loan officer's confirmation

    # 3. The loan officer confirms too: two people, so it goes to review.
    switch_user(page, sign_in, loan_officer.username)
    open_from_queue(page, number)
    confirm_survey(page, "面谈核实收入与购房合同,建议同意。")
    expect(status).to_have_text("审查中")

    # 4. The reviewer agrees.
    switch_user(page, sign_in, reviewer.username)
    open_from_queue(page, number)
    page.get_by_test_id("review-panel").get_by_role("link", name="审查", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("审查"))).to_be_visible()
    page.locator("[name=decision]").select_option(label="同意")
    page.locator("[name=text]").fill("资料完整合规,同意提交审批。")
    page.get_by_role("button", name="提交审查意见").click()
    expect(page.get_by_role("alert")).to_contain_text("审查意见已提交。")
    expect(status).to_have_text("审批中")

    # 5. The approver approves within the approver's 1,000,000 authority.
    switch_user(page, sign_in, approver.username)
    open_from_queue(page, number)
    decide(page, "批准", "借款人资信良好,抵押充足,同意。")
    expect(page.get_by_role("alert")).to_contain_text("审批意见已提交。")
    expect(status).to_have_text("已批准")
    panel = page.get_by_test_id("review-panel")
    expect(panel).to_contain_text("资料完整合规,同意提交审批。")
    expect(panel).to_contain_text("批准")
    expect(panel).to_contain_text("授权 1,000,000")
    expect(panel).to_contain_text("借款人资信良好,抵押充足,同意。")
    timeline = page.get_by_test_id("timeline")
    for step in ("创建", "上传材料", "领取调查", "确认调查", "双人调查完成,提交审查", "已批准"):
        expect(timeline).to_contain_text(step)


def test_an_approval_above_the_approvers_authority_goes_up_to_the_director(
    page, sign_in, origination, loan_officer, investigator, reviewer, approver, director
):
    customer = make_customer(loan_officer, monthly_income=Decimal("100000"))
    application = reviewed(
        loan_officer, investigator, reviewer, customer=customer, amount=Decimal("1500000")
    )
    number = application.number

    sign_in(approver.username)
    open_from_queue(page, number)
    status = page.get_by_test_id("status")
    expect(status).to_have_text("审批中")
    page.get_by_test_id("review-panel").get_by_role("link", name="审批", exact=True).click()
    expect(page.get_by_test_id("my-limit")).to_contain_text("1,000,000")
    page.get_by_label("审批结论").select_option(label="批准")
    page.get_by_label("理由").fill("借款人收入高,抵押充足,同意。")
    page.get_by_role("button", name="提交审批意见").click()
    expect(status).to_have_text("已上报")
    expect(page.get_by_text("已上报至 中心主任")).to_be_visible()
    expect(page.get_by_test_id("timeline")).to_contain_text("上报中心主任")

    switch_user(page, sign_in, director.username)
    open_from_queue(page, number)
    expect(status).to_have_text("已上报")
    decide(page, "批准", "在中心主任授权内,同意。")
    expect(status).to_have_text("已批准")
    panel = page.get_by_test_id("review-panel")
    final = panel.locator(".border-bottom").filter(has_text="在中心主任授权内,同意。")
    expect(final).to_contain_text("批准")
    expect(final).to_contain_text("授权 3,000,000")


def test_a_decision_without_reasons_is_refused_in_chinese(
    page, sign_in, origination, loan_officer, investigator, reviewer, approver
):
    number = reviewed(loan_officer, investigator, reviewer).number

    sign_in(approver.username)
    open_from_queue(page, number)
    decide(page, "批准", "")
    reasons = page.get_by_label("理由")
    expect(reasons.locator("xpath=..")).to_contain_text("这个字段是必填项。")
    expect(page.get_by_role("heading", name=re.compile("审批"))).to_be_visible()

    page.get_by_role("link", name="取消").click()
    expect(page.get_by_test_id("status")).to_have_text("审批中")
    expect(page.get_by_test_id("review-panel")).not_to_contain_text("授权")
