"""The `criteria` kind (`data/criteria.yaml`): news-quality ratings of the article, shown by
`[[block:criteria]]`."""

from __future__ import annotations

from dataclasses import dataclass

from .declare import Kind, Model, key

CRITERION_RATINGS = ("Satisfactory", "Not satisfactory", "Not applicable")


@dataclass(kw_only=True)
class Criterion(Model):
    name: str = key()
    rating: str = key(choices=CRITERION_RATINGS)
    reason: str = key()


KIND = Kind("criteria", "criterion", make=Criterion, doc="a list: news-quality ratings, shown by [[block:criteria]]")
