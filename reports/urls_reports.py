from django.urls import path

from . import views_reports as views

urlpatterns = [
    path("runs/", views.report_runs, name="report_runs"),
    path("runs/<id:pk>/", views.report_run, name="report_run"),
    path("runs/<id:pk>/progress/", views.report_run_progress, name="report_run_progress"),
    path("runs/<id:pk>/<str:fmt>/", views.report_run_file, name="report_run_file"),
]
