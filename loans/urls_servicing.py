from django.urls import path

from . import views_servicing as views

urlpatterns = [
    path("accounts/", views.account_list, name="account_list"),
    path("accounts/<id:pk>/", views.account_detail, name="account_detail"),
    path(
        "accounts/<id:pk>/statement.pdf",
        views.account_statement_pdf,
        name="account_statement_pdf",
    ),
    path(
        "accounts/<id:pk>/statement.xlsx",
        views.account_statement_xlsx,
        name="account_statement_xlsx",
    ),
    path("accounts/<id:pk>/repayments/", views.repayment_post, name="repayment_post"),
    path(
        "accounts/<id:pk>/repayments/<id:repayment_pk>/",
        views.repayment_receipt,
        name="repayment_receipt",
    ),
    path(
        "accounts/<id:pk>/repayments/<id:repayment_pk>/receipt.pdf",
        views.repayment_receipt_pdf,
        name="repayment_receipt_pdf",
    ),
    path("calculator/", views.calculator, name="calculator"),
]
