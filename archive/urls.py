from .urls_custody import urlpatterns as custody_urls
from .urls_items import urlpatterns as item_urls
from .urls_retention import urlpatterns as retention_urls

app_name = "archive"

urlpatterns = [*item_urls, *custody_urls, *retention_urls]
