from django.urls import path

from . import views_contracts as views

urlpatterns = [
    path(
        "applications/<id:pk>/contracts/generate/",
        views.contracts_generate,
        name="contracts_generate",
    ),
    path("applications/<id:pk>/contracts/sign/", views.contracts_sign, name="contracts_sign"),
    path("contracts/<id:pk>.pdf", views.contract_pdf, name="contract_pdf"),
    path("accounts/<id:pk>/iou.pdf", views.iou_pdf, name="iou_pdf"),
]
