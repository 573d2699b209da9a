"""URL converters. Ids are at most 18 digits: a longer number would overflow PostgreSQL's
bigint and raise a database error (a 500) instead of a 404."""

from django.urls import register_converter


class IdConverter:
    regex = "[0-9]{1,18}"

    def to_python(self, value):
        return int(value)

    def to_url(self, value):
        return str(value)


register_converter(IdConverter, "id")
