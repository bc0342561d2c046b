"""What the labelled-set scorers (tests/*_eval.py) count: checks passed, and each miss."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Scores:
    checks: int = 0
    right: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.checks if self.checks else 1.0
