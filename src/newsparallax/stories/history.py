"""Stories that keep their ids as they grow, and a record of how they changed.

A story's id is made from its articles (`model.ids.group_id`), so a story that gains an
article would get a new id every run, and a link to it (a bookmark, a web page) would
break. Between two runs of one store, each new story therefore takes the id of the
earlier story it shares the most articles with; an earlier story goes to one new story
only (the one sharing most; ties to the earlier id), so a story that splits keeps its
id on its larger part and the other part starts afresh. What changed is returned as
events: a story created, articles that joined or left, earlier stories merged into it.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence
from typing import Any, Protocol, TypeVar, cast

from newsparallax.model import StoryEvent, group_id


class Earlier(Protocol):
    """A story of an earlier run, as the store lists it."""

    @property
    def id(self) -> str: ...

    @property
    def article_ids(self) -> tuple[str, ...]: ...


# A story as the pipeline makes it (`Story`) or as the store keeps it (`StoredStory`).
StoryLike = TypeVar("StoryLike", bound=Earlier)


def carry_story_ids(
    stories: Sequence[StoryLike], before: Sequence[Earlier]
) -> tuple[tuple[StoryLike, ...], list[StoryEvent]]:
    """`stories` with the ids of the earlier stories they continue, and what changed."""
    owner = {a: s.id for s in before for a in s.article_ids}
    previous = {s.id: s for s in before}
    claims = []
    for index, story in enumerate(stories):
        shared = Counter(owner[a] for a in story.article_ids if a in owner)
        claims += [(count, old, index) for old, count in shared.items()]
    claims.sort(key=lambda c: (-c[0], c[1], c[2]))
    assigned: dict[int, str] = {}
    taken: set[str] = set()
    for _, claimed, index in claims:
        if claimed not in taken and index not in assigned:
            assigned[index] = claimed
            taken.add(claimed)
    out, events = [], []
    used = set(previous) | set(assigned.values())
    for index, story in enumerate(stories):
        old = assigned.get(index)
        if old is None:
            # an id made from its articles may be an earlier story's (one that held
            # exactly these articles once, and whose id went on with another part)
            new_id, attempt = story.id, 0
            while new_id in used:
                attempt += 1
                new_id = group_id("s", (*story.article_ids, f"#{attempt}"))
            used.add(new_id)
            events.append(StoryEvent(new_id, "created", {"articles": list(story.article_ids)}))
            out.append(_renamed(story, new_id) if new_id != story.id else story)
            continue
        members, earlier = set(story.article_ids), set(previous[old].article_ids)
        merged = sorted({owner[a] for a in members if a in owner} - {old})
        detail = {
            "joined": sorted(members - earlier),
            "left": sorted(earlier - members),
            "merged_from": merged,
        }
        if any(detail.values()):
            events.append(StoryEvent(old, "changed", detail))
        out.append(_renamed(story, old))
    return tuple(out), events


def _renamed(story: StoryLike, new_id: str) -> StoryLike:
    """The story (a dataclass: `Story` or the store's `StoredStory`) under another id."""
    return cast(StoryLike, dataclasses.replace(cast(Any, story), id=new_id))
