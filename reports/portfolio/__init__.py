"""A generated book of loans for benchmarks and scale tests (``manage.py generate_portfolio``)."""
