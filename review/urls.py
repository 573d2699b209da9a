from django.urls import path

from . import views

app_name = "review"

urlpatterns = [
    path("<int:pk>/", views.review, name="review"),
    path("<int:pk>/decide/", views.decide, name="decide"),
    path("<int:pk>/approval-sheet.pdf", views.approval_sheet_pdf, name="approval_sheet"),
]
