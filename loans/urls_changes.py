from django.urls import path

from . import views_changes as views

urlpatterns = [
    path("accounts/<id:pk>/changes/", views.account_changes, name="account_changes"),
    path("accounts/<id:pk>/changes/new/", views.change_request, name="change_request"),
    path("changes/", views.change_queue, name="change_queue"),
    path("changes/<id:change_pk>/", views.change_decide, name="change_decide"),
]
