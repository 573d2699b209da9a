from django.urls import path

from . import views, views_survey

app_name = "applications"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.application_create, name="create"),
    path("<id:pk>/", views.application_detail, name="detail"),
    path("<id:pk>/edit/", views.application_edit, name="edit"),
    path("<id:pk>/submit/", views.application_submit, name="submit"),
    path("<id:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<id:pk>/guarantors/", views.guarantor_add, name="guarantor_add"),
    path(
        "<id:pk>/guarantors/<id:guarantor_pk>/remove/",
        views.guarantor_remove,
        name="guarantor_remove",
    ),
    path("<id:pk>/documents/", views.document_upload, name="document_upload"),
    path("<id:pk>/documents/<id:document_pk>/", views.document_download, name="document_download"),
    path("<id:pk>/survey/claim/", views_survey.survey_claim, name="survey_claim"),
    path("<id:pk>/survey/", views_survey.survey_confirm, name="survey_confirm"),
    path("<id:pk>/survey.pdf", views_survey.survey_report_pdf, name="survey_pdf"),
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/new/", views.customer_create, name="customer_create"),
    path("customers/<id:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<id:pk>/edit/", views.customer_edit, name="customer_edit"),
]
