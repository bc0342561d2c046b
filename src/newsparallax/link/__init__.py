"""Within a story: one entity, quote, place and date however many outlets tell it."""

from newsparallax.link.entities import link_entities, link_entities_stage
from newsparallax.link.quotes import gather_quotes, gather_quotes_stage, same_quote

__all__ = [
    "gather_quotes",
    "gather_quotes_stage",
    "link_entities",
    "link_entities_stage",
    "same_quote",
]
