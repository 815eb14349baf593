"""The `limits` kind (`data/limits.yaml`): what weakens the evidence, and which claims it
weakens (a link either side may name: a claim's `limits`, a limit's `weakens`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from .declare import Kind, MarkdownText, Model, id_key, key

if TYPE_CHECKING:
    from .claims import Claim
    from .sources import Source


@dataclass(kw_only=True)
class Limit(Model):
    id: str = id_key()
    title: str = key()
    explanation: MarkdownText = key(markdown=True)
    sources: list[Source] = key(list, ref="sources")
    weakens: list[Claim] = key(list, ref="claims", mirror="limits")


KIND = Kind("limits", "limit", make=Limit, doc="a list")
