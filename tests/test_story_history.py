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


def test_story_history_a_new_story_never_takes_an_id_in_use() -> None:
    """A story's first id is made from its articles; when a split gives back exactly the
    articles an earlier story started with, that id may already have gone on with the
    other part (found on 10,000 real-like articles: the run could not be stored)."""
    before = [StoredStory("s-ab", "t", ("a", "b", "c")), StoredStory("s-d", "t", ("d",))]
    stories, _ = carry_story_ids([story("s-d", "d", "e"), story("s-ab", "a", "b")], before)
    ids = [s.id for s in stories]
    assert len(set(ids)) == 2 and "s-ab" in ids and "s-d" in ids
    stories, _ = carry_story_ids([story("s-x", "b", "c"), story("s-ab", "a")], before)
    assert stories[0].id == "s-ab" and stories[1].id not in {"s-ab", "s-d"}
