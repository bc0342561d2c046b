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
from typing import Protocol

from newsparallax.model import Story, StoryEvent


class Earlier(Protocol):
    """A story of an earlier run, as the store lists it."""

    @property
    def id(self) -> str: ...

    @property
    def article_ids(self) -> tuple[str, ...]: ...


def carry_story_ids(
    stories: Sequence[Story], before: Sequence[Earlier]
) -> tuple[tuple[Story, ...], list[StoryEvent]]:
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
    for index, story in enumerate(stories):
        old = assigned.get(index)
        if old is None:
            events.append(StoryEvent(story.id, "created", {"articles": list(story.article_ids)}))
            out.append(story)
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
        out.append(dataclasses.replace(story, id=old))
    return tuple(out), events
