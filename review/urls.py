from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("<id:pk>/", views.review, name="review"),
    path("<id:pk>/decide/", views.decide, name="decide"),
    path("<id:pk>/approval-sheet.pdf", views.approval_sheet_pdf, name="approval_sheet"),
]
