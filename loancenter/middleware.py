from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from . import request_context

_SUPPORTED = {code for code, _name in settings.LANGUAGES}


class ChosenLanguageMiddleware:
    """Chinese for everyone unless the user chose English with the language switch.

    Django's LocaleMiddleware would follow the browser's Accept-Language header, so a branch
    PC with an English browser would show English; the center works in Chinese by default.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in _SUPPORTED else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response


class RequestContextMiddleware:
    """Makes the client's address available to the audit trail for the length of the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_context.set_ip(request.META.get("REMOTE_ADDR") or None)
        try:
            return self.get_response(request)
        finally:
            request_context.reset_ip(token)


class DomainErrorMiddleware:
    """A refusal that escaped a view becomes a message on the page, never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.contrib import messages
        from django.shortcuts import redirect
        from django.template.response import TemplateResponse
        from django.utils.http import url_has_allowed_host_and_scheme

        from .errors import DomainError, PermissionRefused

        if not isinstance(exception, DomainError):
            return None
        if isinstance(exception, PermissionRefused):
            response = TemplateResponse(request, "403.html", {"reason": exception.message})
            response.status_code = 403
            return response.render()
        messages.error(request, exception.message)
        back = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        return redirect(back if safe and back else "home")
