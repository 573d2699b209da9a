from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy

from . import converters, views  # noqa: F401 (converters registers <id:...>)

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("audit/", views.audit_log, name="audit_log"),
    path("inbox/", views.inbox, name="inbox"),
    path("applications/", include("applications.urls")),
    path("review/", include("review.urls")),
    path("collateral/", include("collateral.urls")),
    path("loans/", include("loans.urls")),
    path("collection/", include("collection.urls")),
    path("archive/", include("archive.urls")),
    path("reports/", include("reports.urls")),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(
            template_name="registration/password_change.html",
            success_url=reverse_lazy("home"),
        ),
        name="password_change",
    ),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
