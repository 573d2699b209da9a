from django.urls import path

from . import views_items as views

urlpatterns = [
    path("", views.search, name="search"),
    path("expected/", views.expected, name="expected"),
    path("dossiers/<id:pk>/", views.dossier_detail, name="dossier_detail"),
    path("dossiers/<id:pk>/items/new/", views.item_register, name="item_register"),
    path("items/<id:pk>/", views.item_detail, name="item_detail"),
    path("items/<id:pk>/receive/", views.item_receive, name="item_receive"),
    path("items/<id:pk>/move/", views.item_move, name="item_move"),
    path("ledger.pdf", views.ledger, name="ledger_pdf"),
    path("labels.pdf", views.labels, name="labels_pdf"),
]
