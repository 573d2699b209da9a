"""Uploaded documents: judged by their content, never by their name."""

from __future__ import annotations

import hashlib

from django.utils.translation import gettext as _

from loancenter.errors import DomainError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
)


def sniff_content_type(head: bytes) -> str | None:
    for signature, content_type in _SIGNATURES:
        if head.startswith(signature):
            return content_type
    return None


def inspect_upload(uploaded) -> tuple[str, str]:
    """(content type, SHA-256) of an acceptable upload, or a refusal the user can act on."""
    if uploaded.size > MAX_UPLOAD_BYTES:
        raise DomainError(_("The file is larger than 10 MB."), code="too_large")
    if uploaded.size == 0:
        raise DomainError(_("The file is empty."), code="empty")
    uploaded.seek(0)
    content_type = sniff_content_type(uploaded.read(16))
    if content_type is None:
        raise DomainError(
            _("Only PDF, JPEG or PNG files are accepted (judged by the file's content)."),
            code="bad_type",
        )
    digest = hashlib.sha256()
    uploaded.seek(0)
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    return content_type, digest.hexdigest()
