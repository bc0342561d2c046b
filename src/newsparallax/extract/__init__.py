"""Per-article extraction: pure functions from an annotated article to a richer one."""

from newsparallax.extract.segment import paragraph_spans, segment

__all__ = ["paragraph_spans", "segment"]
