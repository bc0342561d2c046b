"""Across articles: stories, the entities in them, and their quotes."""

from newsparallax.group.entities import link_entities, link_entities_stage
from newsparallax.group.quotes import gather_quotes, gather_quotes_stage, same_quote
from newsparallax.group.stories import group_stories, group_stories_stage, story_title

__all__ = [
    "gather_quotes",
    "gather_quotes_stage",
    "group_stories",
    "group_stories_stage",
    "link_entities",
    "link_entities_stage",
    "same_quote",
    "story_title",
]
