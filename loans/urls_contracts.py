urlpatterns = []  # filled in by the contracts views
