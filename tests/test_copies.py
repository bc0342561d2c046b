"""Copy groups: syndicated and lightly edited copies are one source, found in linear cost."""

from __future__ import annotations

import json
import random

import pytest

from newsparallax.analysis import analyze_articles
from newsparallax.config import Settings
from newsparallax.crosscheck.copies import find_copy_groups, originals, with_copies
from newsparallax.model import Annotated, Article, DuplicateKind, Report, Story, article_id
from newsparallax.render.contract import report_to_json

WIRE = [
    "Engineers at the Corvel lock on the river Ashby found a crack in the lower gate on "
    "Tuesday morning and closed the lock to barges until further notice.",
    "The Ashby Navigation Trust said the crack, about forty centimetres long, was spotted "
    "during a routine dive inspection and posed no danger to nearby homes.",
    "Repairs are expected to take three weeks, the trust said, and freight will move by "
    "road in the meantime, adding about two hundred lorry journeys a week.",
    "The lock, built in 1911, was last refurbished in 2004 at a cost of 1.2 million euros.",
    "Barge operators said the closure would hit grain shipments hardest, since the harvest "
    "is due to move downriver within the month.",
]
OTHER_OUTLET = [
    "Barges were queuing at Corvel on Wednesday after a damaged gate shut the lock, "
    "one of the busiest on the Ashby.",
    "A skipper waiting with a load of fertiliser told us he had no idea when he would get "
    "through and was paying his crew to sit idle.",
    "The navigation trust has promised a repair within three weeks, but farmers worry the "
    "grain harvest will be stranded upstream.",
    "Hauliers in the valley have been asked how many extra lorries they could supply.",
]


def article(
    paragraphs: list[str], outlet: str, day: str, title: str = "Corvel lock shut"
) -> Article:
    from datetime import date

    text = "\n\n".join(paragraphs)
    return Article(
        id=article_id(title, text, f"https://{outlet.lower()}.example/lock"),
        source=f"https://{outlet.lower()}.example/lock",
        text=text,
        title=title,
        outlet=outlet,
        published=date.fromisoformat(day),
    )


def story_of(*articles: Article) -> tuple[list[Annotated], Story]:
    docs = [Annotated(a) for a in articles]
    return docs, Story("s", "t", tuple(sorted(a.id for a in articles)))


def edits() -> dict[str, list[str]]:
    typo = [WIRE[0].replace("barges", "bargse"), *WIRE[1:]]
    return {
        "trimmed": WIRE[:3],
        "boilerplate": [*WIRE, "Sign up for the Valley Post newsletter for more river news."],
        "typo": typo,
        "reordered": [WIRE[0], WIRE[2], WIRE[1], WIRE[4], WIRE[3]],
    }


def test_copies_same_text_from_two_outlets_is_one_exact_group() -> None:
    first = article(WIRE, "Wire", "2026-03-03")
    second = article(WIRE, "Gazette", "2026-03-04", title="Crack shuts Corvel lock")
    assert first.id != second.id
    docs, story = story_of(first, second)
    [group] = find_copy_groups(docs, story).copy_groups
    assert group.original == first.id  # the earlier one
    assert [(c.article_id, c.kind, c.score) for c in group.copies] == [
        (second.id, DuplicateKind.EXACT, 1.0)
    ]


@pytest.mark.parametrize("edit", sorted(edits()))
def test_copies_lightly_edited_copy_joins_its_original(edit: str) -> None:
    original = article(WIRE, "Wire", "2026-03-03")
    copy = article(edits()[edit], "Valley Post", "2026-03-04")  # republished a day later
    docs, story = story_of(original, copy)
    [group] = find_copy_groups(docs, story).copy_groups
    assert group.original == original.id
    assert [c.article_id for c in group.copies] == [copy.id]
    assert group.copies[0].kind is DuplicateKind.NEAR


def test_copies_independent_reports_of_one_event_are_not_copies() -> None:
    docs, story = story_of(
        article(WIRE, "Wire", "2026-03-03"), article(OTHER_OUTLET, "Courier", "2026-03-04")
    )
    assert find_copy_groups(docs, story).copy_groups == ()


def test_copies_originals_and_sources() -> None:
    original = article(WIRE, "Wire", "2026-03-03")
    copies = [article(edits()[e], f"Outlet {e}", "2026-03-04") for e in sorted(edits())]
    other = article(OTHER_OUTLET, "Courier", "2026-03-04")
    docs, story = story_of(original, *copies, other)
    story = find_copy_groups(docs, story)
    assert [d.id for d in originals(docs, story)] == sorted([original.id, other.id])
    assert set(with_copies([original.id], story)) == {original.id, *(c.id for c in copies)}
    assert with_copies([other.id], story) == (other.id,)


def run(articles: list[Article]) -> Report:
    return analyze_articles(articles, Settings.defaults())


def test_copies_sources_counted_and_reported_once_per_group() -> None:
    original = article(WIRE, "Wire", "2026-03-03")
    copies = [article(edits()[e], f"Outlet {e}", "2026-03-04") for e in sorted(edits())]
    other = article(OTHER_OUTLET, "Courier", "2026-03-04")
    report = run([original, *copies, other])
    [story] = report.stories
    assert len(story.copy_groups) == 1 and len(story.copy_groups[0].copies) == 4
    crack = next(c for c in story.claims if "crack" in c.text and "trust" in c.text.lower())
    assert original.id in crack.sources
    assert {c.id for c in copies} & set(crack.sources)  # the copies carry it too
    assert all(p.article_id in {original.id, other.id} for c in story.claims for p in c.passages)


def copies_of_one_story(count: int, seed: int = 3) -> list[Article]:
    rnd = random.Random(seed)
    words = " ".join(WIRE).split()
    out = []
    for index in range(count):
        edited = list(words)
        for _ in range(len(edited) // 25):
            edited[rnd.randrange(len(edited))] = rnd.choice(words)
        out.append(article([" ".join(edited)], f"Outlet {index}", "2026-03-03"))
    return out


def test_copies_report_size_is_linear_in_copies() -> None:
    """Twice the copies: the same findings, and about twice the JSON (their texts), not
    four times (pairs)."""
    small, large = (run(copies_of_one_story(n)) for n in (20, 40))
    for report in (small, large):
        [story] = report.stories
        assert len(story.copy_groups) == 1
    assert len(large.stories[0].duplicates) <= len(small.stories[0].duplicates) + 2
    assert len(large.stories[0].claims) <= len(small.stories[0].claims) + 2
    ratio = len(json.dumps(report_to_json(large))) / len(json.dumps(report_to_json(small)))
    assert ratio < 2.2
