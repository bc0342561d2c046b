"""Stories keep their ids across runs: grown, merged and split stories."""

from __future__ import annotations

from newsparallax.model import Story
from newsparallax.store.sqlite import StoredStory
from newsparallax.stories.history import carry_story_ids


def story(sid: str, *ids: str) -> Story:
    return Story(sid, sid, tuple(ids))


def test_story_history_a_grown_story_keeps_its_id() -> None:
    before = [StoredStory("old", "t", ("a", "b"))]
    [kept], [event] = carry_story_ids([story("new", "a", "b", "c")], before)
    assert kept.id == "old" and kept.article_ids == ("a", "b", "c")
    assert (event.event, event.detail["joined"], event.detail["left"]) == ("changed", ["c"], [])


def test_story_history_a_merge_keeps_the_larger_and_names_the_other() -> None:
    before = [StoredStory("big", "t", ("a", "b", "c")), StoredStory("small", "t", ("d",))]
    [merged], [event] = carry_story_ids([story("new", "a", "b", "c", "d")], before)
    assert merged.id == "big" and event.detail["merged_from"] == ["small"]


def test_story_history_a_split_keeps_the_id_on_its_larger_part() -> None:
    before = [StoredStory("old", "t", ("a", "b", "c"))]
    stories, events = carry_story_ids([story("x", "a"), story("y", "b", "c")], before)
    assert [s.id for s in stories] == ["x", "old"]
    assert {(e.story_id, e.event) for e in events} == {("x", "created"), ("old", "changed")}


def test_story_history_unchanged_stories_say_nothing() -> None:
    before = [StoredStory("old", "t", ("a", "b"))]
    [kept], events = carry_story_ids([story("same", "b", "a")], before)
    assert kept.id == "old" and events == []
