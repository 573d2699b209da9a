from django.urls import path

from . import views

app_name = "collateral"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/<int:pk>/add/", views.collateral_add, name="add"),
    path(
        "applications/<int:pk>/<int:collateral_pk>/remove/",
        views.collateral_remove,
        name="remove",
    ),
    path(
        "applications/<int:pk>/<int:collateral_pk>/report/",
        views.valuation_report,
        name="valuation_report",
    ),
    path("applications/<int:pk>/policy/", views.policy_add, name="policy_add"),
    path("applications/<int:pk>/notarisation/", views.notarisation_add, name="notarisation_add"),
    path(
        "registrations/<int:registration_pk>/submit/",
        views.registration_submit,
        name="registration_submit",
    ),
    path(
        "registrations/<int:registration_pk>/complete/",
        views.registration_complete,
        name="registration_complete",
    ),
    path(
        "registrations/<int:registration_pk>/hand-over/",
        views.registration_hand_over,
        name="registration_hand_over",
    ),
    path(
        "registrations/<int:registration_pk>/receive/",
        views.registration_receive,
        name="registration_receive",
    ),
]
