FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
# Pango for WeasyPrint, a CJK font for Chinese PDFs, gettext to compile translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk gettext curl \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .
RUN pip install --no-cache-dir -e . \
 && DEBUG=1 python manage.py compilemessages -v0 \
 && DEBUG=1 python manage.py collectstatic --no-input -v0

RUN useradd --system --uid 1000 loancenter && mkdir -p /app/media && chown loancenter /app/media
USER loancenter
EXPOSE 8000
CMD ["gunicorn", "loancenter.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
