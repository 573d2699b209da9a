from .urls_changes import urlpatterns as change_urls
from .urls_classification import urlpatterns as classification_urls
from .urls_contracts import urlpatterns as contract_urls
from .urls_disbursement import urlpatterns as disbursement_urls
from .urls_servicing import urlpatterns as servicing_urls
from .urls_sweep import urlpatterns as sweep_urls

app_name = "loans"

urlpatterns = [
    *contract_urls,
    *disbursement_urls,
    *servicing_urls,
    *change_urls,
    *classification_urls,
    *sweep_urls,
]
