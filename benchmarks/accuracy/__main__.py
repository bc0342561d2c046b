"""Accuracy on real, labelled news: five public corpora, their standard metrics, one table.

    python benchmarks/accuracy                     # every task -> results/accuracy.json
    python benchmarks/accuracy --task quotes --limit 20 --show-errors 10
    python benchmarks/accuracy --fast              # the subset CI gates on

Reads the corpora from ../shared/corpora (or --corpora); see that folder's README for
their formats and licences. No corpus text is copied anywhere: only figures are written.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from accuracy.runner import main

if __name__ == "__main__":
    sys.exit(main())
