from django.urls import path

from . import views

app_name = "collateral"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<id:pk>/add/", views.collateral_add, name="add"),
    path(
        "applications/<id:pk>/<id:collateral_pk>/remove/",
        views.collateral_remove,
        name="remove",
    ),
    path(
        "applications/<id:pk>/<id:collateral_pk>/report/",
        views.valuation_report,
        name="valuation_report",
    ),
    path("applications/<id:pk>/policy/", views.policy_add, name="policy_add"),
    path("applications/<id:pk>/notarisation/", views.notarisation_add, name="notarisation_add"),
    path(
        "registrations/<id:registration_pk>/submit/",
        views.registration_submit,
        name="registration_submit",
    ),
    path(
        "registrations/<id:registration_pk>/complete/",
        views.registration_complete,
        name="registration_complete",
    ),
    path(
        "registrations/<id:registration_pk>/hand-over/",
        views.registration_hand_over,
        name="registration_hand_over",
    ),
    path(
        "registrations/<id:registration_pk>/receive/",
        views.registration_receive,
        name="registration_receive",
    ),
]
