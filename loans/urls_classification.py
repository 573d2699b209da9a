from django.urls import path

from . import views_classification as views

urlpatterns = [
    path(
        "accounts/<id:pk>/classification/",
        views.account_classification,
        name="account_classification",
    ),
    path(
        "accounts/<id:pk>/review-flag/clear/",
        views.clear_review_flag,
        name="clear_review_flag",
    ),
    path("classification/", views.classification_queue, name="classification_queue"),
    path(
        "classification/<id:change_pk>/decide/",
        views.classification_decide,
        name="classification_decide",
    ),
]
