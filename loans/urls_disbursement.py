urlpatterns = []  # filled in by the disbursement views
