"""Across articles, first: which articles tell one story (clustering, explanations)."""

from newsparallax.stories.grouping import group_stories, group_stories_stage, story_title

__all__ = ["group_stories", "group_stories_stage", "story_title"]
