from django.urls import path

from . import views, views_survey

app_name = "applications"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.application_create, name="create"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
    path("<int:pk>/submit/", views.application_submit, name="submit"),
    path("<int:pk>/withdraw/", views.application_withdraw, name="withdraw"),
    path("<int:pk>/guarantors/", views.guarantor_add, name="guarantor_add"),
    path(
        "<int:pk>/guarantors/<int:guarantor_pk>/remove/",
        views.guarantor_remove,
        name="guarantor_remove",
    ),
    path("<int:pk>/documents/", views.document_upload, name="document_upload"),
    path(
        "<int:pk>/documents/<int:document_pk>/", views.document_download, name="document_download"
    ),
    path("<int:pk>/survey/claim/", views_survey.survey_claim, name="survey_claim"),
    path("<int:pk>/survey/", views_survey.survey_confirm, name="survey_confirm"),
    path("<int:pk>/survey.pdf", views_survey.survey_report_pdf, name="survey_pdf"),
    path("customers/", views.customer_list, name="customer_list"),
    path("customers/new/", views.customer_create, name="customer_create"),
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit/", views.customer_edit, name="customer_edit"),
]
