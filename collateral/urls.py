app_name = "collateral"
urlpatterns = []
