"""Per-article extraction: pure functions from an annotated article to a richer one."""

from newsparallax.extract.mentions import find_mentions
from newsparallax.extract.quotes import find_quote_spans, find_quotes
from newsparallax.extract.segment import paragraph_spans, segment

__all__ = ["find_mentions", "find_quote_spans", "find_quotes", "paragraph_spans", "segment"]
