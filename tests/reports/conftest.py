import pytest


@pytest.fixture
def scorecard(db):
    """The scorecard in use: the default version 1 (seeded by a migration; seeded again after
    a flush)."""
    from review.models import GradeBand, Scorecard, ScorecardRow
    from review.scorecard_defaults import seed_default_scorecard

    active = Scorecard.objects.filter(is_active=True).first()
    return active or seed_default_scorecard(Scorecard, ScorecardRow, GradeBand)
