from django.urls import path

from . import views_disbursement as views

urlpatterns = [
    path("disbursement/", views.disbursement_queue, name="disbursement_queue"),
    path("disbursement/<id:pk>/", views.disbursement_post, name="disburse"),
]
