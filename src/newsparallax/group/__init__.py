"""Across articles: grouping into stories (and, as they land, linking and cross-checking)."""

from newsparallax.group.stories import group_stories, story_title

__all__ = ["group_stories", "story_title"]
