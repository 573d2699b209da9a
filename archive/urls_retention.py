from django.urls import path

from . import views_retention as views

urlpatterns = [
    path("retention/due/", views.retention_due, name="retention_due"),
    path("destruction/", views.destruction_list, name="destruction_list"),
    path("destruction/new/", views.destruction_prepare, name="destruction_prepare"),
    path("destruction/<id:pk>/", views.destruction_detail, name="destruction_detail"),
    path("destruction/<id:pk>/submit/", views.destruction_submit, name="destruction_submit"),
    path("destruction/<id:pk>/decide/", views.destruction_decide, name="destruction_decide"),
    path(
        "destruction/lines/<id:line_pk>/check/",
        views.destruction_check_line,
        name="destruction_check_line",
    ),
    path("destruction/<id:pk>/complete/", views.destruction_complete, name="destruction_complete"),
    path("destruction/<id:pk>/list.pdf", views.destruction_pdf, name="destruction_pdf"),
]
