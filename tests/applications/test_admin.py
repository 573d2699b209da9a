import pytest
from django.urls import reverse

from applications.models import LoanProduct

pytestmark = pytest.mark.django_db


def test_an_administrator_edits_a_products_lists_as_checkboxes(client, superuser, origination):
    product = LoanProduct.objects.get(code="CONSUMER")
    client.force_login(superuser)
    url = reverse("admin:applications_loanproduct_change", args=[product.pk])
    page = client.get(url).content.decode()
    assert 'type="checkbox" name="repayment_methods" value="equal_installment"' in page
    data = {
        field.name: getattr(product, field.attname)
        for field in LoanProduct._meta.fields
        if field.name != "id" and getattr(product, field.attname) is not None
    }
    data.update(
        repayment_methods=["equal_installment"],
        security_types=["credit"],
        required_documents=["id_card"],
        is_active="on",
        requires_notarisation="",
    )
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    product.refresh_from_db()
    assert product.repayment_methods == ["equal_installment"]


def test_business_products_must_be_surveyed_on_site_every_time(client, superuser, origination):
    product = LoanProduct.objects.get(code="BUSINESS")
    product.onsite_survey_percent = 50
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="经营贷款每笔均须实地调查"):
        product.full_clean()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:applications_loanapplication_changelist",
        "admin:review_authoritylimit_changelist",
        "admin:applications_creditwarning_changelist",
        "admin:applications_loanprimerate_changelist",
    ],
)
def test_admin_pages_open(client, superuser, origination, url_name):
    client.force_login(superuser)
    assert client.get(reverse(url_name)).status_code == 200
