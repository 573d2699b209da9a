from .urls_cases import urlpatterns as case_urls
from .urls_checks import urlpatterns as check_urls

app_name = "collection"

urlpatterns = [*case_urls, *check_urls]
