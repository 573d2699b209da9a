from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("customers/<id:pk>/credit-file/", views.credit_file, name="credit_file"),
    path("ratings/", views.rating_queue, name="rating_queue"),
    path("ratings/<id:pk>/", views.rating_decide, name="rating_decide"),
    path("validation/", views.validation_report, name="validation_report"),
]
from .urls_reports import urlpatterns as report_run_urls  # noqa: E402 (one line per part)

urlpatterns += report_run_urls
from .urls_dashboard import urlpatterns as dashboard_urls  # noqa: E402

urlpatterns += dashboard_urls
