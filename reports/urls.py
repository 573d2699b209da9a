from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("customers/<id:pk>/credit-file/", views.credit_file, name="credit_file"),
    path("ratings/", views.rating_queue, name="rating_queue"),
    path("ratings/<id:pk>/", views.rating_decide, name="rating_decide"),
    path("validation/", views.validation_report, name="validation_report"),
]
