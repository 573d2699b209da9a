from django.urls import path

from . import views_custody as views
from . import views_handover

urlpatterns = [
    path("vault/", views.vault, name="vault"),
    path("vault/movements/<id:pk>/confirm/", views.movement_confirm, name="movement_confirm"),
    path("vault/movements/<id:pk>/cancel/", views.movement_cancel, name="movement_cancel"),
    path("items/<id:pk>/deposit/", views.item_deposit, name="item_deposit"),
    path("items/<id:pk>/release/", views.item_release, name="item_release"),
    path("items/<id:pk>/borrow/", views.borrow_request, name="borrow_request"),
    path("borrowings/", views.borrow_queue, name="borrow_queue"),
    path("borrowings/mine/", views.my_borrowings, name="my_borrowings"),
    path("borrowings/approvals/", views.borrow_approvals, name="borrow_approvals"),
    path("borrowings/<id:pk>/", views.borrow_detail, name="borrow_detail"),
    path("borrowings/<id:pk>/decide/", views.borrow_decide, name="borrow_decide"),
    path("borrowings/<id:pk>/check-out/", views.borrow_check_out, name="borrow_check_out"),
    path("borrowings/<id:pk>/return/", views.borrow_return, name="borrow_return"),
    path("handovers/", views_handover.handovers, name="handovers"),
    path("handovers/new/", views_handover.handover_new, name="handover_new"),
    path("handovers/<id:pk>/", views_handover.handover_detail, name="handover_detail"),
    path("handovers/<id:pk>/confirm/", views_handover.handover_confirm, name="handover_confirm"),
    path("handovers/<id:pk>/cancel/", views_handover.handover_cancel, name="handover_cancel"),
    path("inspections/", views_handover.inspections, name="inspections"),
    path("inspections/new/", views_handover.inspection_new, name="inspection_new"),
    path("inspections/<id:pk>/", views_handover.inspection_detail, name="inspection_detail"),
]
