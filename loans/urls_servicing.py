urlpatterns = []  # filled in by the servicing views
