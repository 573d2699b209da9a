from django.urls import path

from . import views_checks as views

urlpatterns = [
    path("checks/", views.check_list, name="check_list"),
    path("checks/<id:pk>/", views.check_detail, name="check_detail"),
]
