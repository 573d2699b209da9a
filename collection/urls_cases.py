from django.urls import path

from . import views_cases, views_legal, views_writeoff

urlpatterns = [
    path("", views_cases.case_list, name="case_list"),
    path("cases/<id:pk>/", views_cases.case_detail, name="case_detail"),
    path("cases/<id:pk>/actions/", views_cases.action_record, name="action_record"),
    path("cases/<id:pk>/promises/", views_cases.promise_record, name="promise_record"),
    path("cases/<id:pk>/demand-letter/", views_cases.demand_letter, name="demand_letter"),
    path("cases/<id:pk>/recoveries/", views_cases.recovery_record, name="recovery_record"),
    path("cases/<id:pk>/claims/", views_legal.claim_file, name="claim_file"),
    path(
        "cases/<id:pk>/claims/<id:claim_pk>/outcome/",
        views_legal.claim_outcome,
        name="claim_outcome",
    ),
    path("cases/<id:pk>/lawsuits/", views_legal.lawsuit_file, name="lawsuit_file"),
    path(
        "cases/<id:pk>/lawsuits/<id:lawsuit_pk>/<slug:step>/",
        views_legal.lawsuit_step,
        name="lawsuit_step",
    ),
    path("cases/<id:pk>/write-off/", views_writeoff.writeoff_request, name="writeoff_request"),
    path("write-offs/", views_writeoff.writeoff_list, name="writeoff_list"),
    path("write-offs/<id:pk>/", views_writeoff.writeoff_detail, name="writeoff_detail"),
    path(
        "write-offs/<id:pk>/evidence/<id:evidence_pk>/",
        views_writeoff.evidence_download,
        name="evidence_download",
    ),
]
