from django.urls import path

from . import views_sweep

urlpatterns = [
    path("sweep/", views_sweep.sweep_runs, name="sweep_runs"),
    path("sweep/run/", views_sweep.run_sweep_now, name="sweep_run_now"),
]
