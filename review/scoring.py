"""Credit scoring (信用评估模型和评分系统): the active scorecard applied to an application.

Public API (other modules code against it):

- ``characteristic_values(application, *, amount, term_months) -> dict[str, object]``: the value
  of every ``Characteristic`` for this application at this amount and term (None if unknown).
- ``score_application(*, application, trigger, amount=None, term_months=None, scorecard=None)
  -> ApplicationScore | None``: scores with ``scorecard`` (default: the active one; None when
  no scorecard is active), stores and returns the row with the breakdown.
- ``grade_for(scorecard, total) -> GradeBand``: the band a total falls in.
- ``departures(score, *, decision, amount, spread_bp) -> list[str]``: how a reviewer's
  proposal departs from the score's suggestion (each a message); empty when it follows it.
- ``latest_score(application) -> ApplicationScore | None``.
"""
