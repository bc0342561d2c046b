"""Outlet boilerplate learned from the articles at hand, and never a copy between outlets."""

from __future__ import annotations

from newsparallax.ingest.boilerplate import remove_outlet_boilerplate
from newsparallax.model import Article, RemovalReason, article_id

NOTE = "Editor's note: this piece is part of our weekly series on the county's budget."
PITCH = "Sign up for the Morning Ledger, our free newsletter, delivered before breakfast."


def article(outlet: str | None, *paragraphs: str) -> Article:
    text = "\n\n".join(paragraphs)
    return Article(id=article_id(None, text + (outlet or "")), source="t", text=text, outlet=outlet)


BODIES = [
    "The council voted to close two libraries on the east side after a long night of "
    "debate. Residents packed the chamber; several held handmade signs about reading "
    "groups for toddlers. Officials blamed rising heating costs in the older buildings.",
    "Flooding on the ring road kept commuters at home for a second day running this week. "
    "Pumps brought from the harbour worked through the night near the tunnel entrance. "
    "Engineers expect drains under the junction to be cleared before Friday morning.",
    "A new bakery opened on Mill Street, and the queue reached the corner by seven "
    "o'clock. Its owner trained in Lyon and spent savings converting an empty pharmacy. "
    "Sourdough loaves sold out within ninety minutes, customers said.",
    "The football club named its third manager in a year after a run of nine defeats. "
    "Supporters protested outside the ground during Saturday's match against rivals. "
    "Directors promised money for new players when the transfer window opens.",
]


def test_boilerplate_recurring_paragraph_of_one_outlet_is_removed_and_recorded() -> None:
    articles = [article("Ledger", body, NOTE, PITCH) for body in BODIES[:3]]
    cleaned = remove_outlet_boilerplate(articles)
    for before, after in zip(articles, cleaned, strict=True):
        assert after.text == before.text.split("\n\n")[0]
        assert [(r.text, r.reason) for r in after.removed] == [
            (NOTE, RemovalReason.OUTLET_BOILERPLATE),
            (PITCH, RemovalReason.OUTLET_BOILERPLATE),
        ]
        assert after.id == before.id  # the publication is the same one


def test_boilerplate_needs_three_articles_of_the_outlet() -> None:
    articles = [article("Ledger", body, NOTE) for body in BODIES[:2]]
    assert remove_outlet_boilerplate(articles) == articles


def test_boilerplate_never_a_paragraph_two_outlets_share() -> None:
    """The same paragraph in two outlets is a copy: the copies report says so, cleaning does not hide it."""
    articles = [article("Ledger", body, NOTE) for body in BODIES[:3]]
    articles.append(article("Gazette", BODIES[3], NOTE))
    assert remove_outlet_boilerplate(articles) == articles


def test_boilerplate_one_story_run_three_times_keeps_its_body() -> None:
    same = [article("Ledger", BODIES[0], BODIES[1]) for _ in range(3)]
    same = [
        Article(id=f"a{i}", source=f"s{i}", text=a.text, outlet="Ledger")
        for i, a in enumerate(same)
    ]
    assert remove_outlet_boilerplate(same) == same


def test_boilerplate_one_storys_background_repeated_by_its_follow_ups_is_kept() -> None:
    """An outlet following a story repeats its background from article to article; that
    paragraph is the story, not the page around it."""
    background = "The dam above Harlow burst on 3 May, flooding forty homes along the valley."
    follow_ups = [
        "Families flooded out of the valley homes spent a third night in the school gym while "
        "engineers inspected the broken dam wall above Harlow.",
        "Engineers inspecting the broken dam wall above Harlow found cracks that inspectors "
        "reported years ago, families from the flooded valley homes said.",
        "Insurers began visiting flooded valley homes below the broken dam wall at Harlow as "
        "families asked why reported cracks were never repaired by engineers.",
    ]
    articles = [article("Ledger", body, background, PITCH) for body in follow_ups]
    cleaned = remove_outlet_boilerplate(articles)
    for after in cleaned:
        assert background in after.text  # kept: the follow-ups are about one thing
        assert [r.text for r in after.removed] == [PITCH]  # at their foot, still a pitch


def test_boilerplate_never_empties_an_article() -> None:
    articles = [article("Ledger", body, NOTE) for body in BODIES[:3]]
    only_note = article("Ledger", NOTE)
    cleaned = remove_outlet_boilerplate([*articles, only_note])
    assert cleaned[-1] == only_note
    assert all(NOTE not in a.text for a in cleaned[:-1])


def test_boilerplate_outlet_names_compare_without_case() -> None:
    articles = [
        article(name, body, NOTE)
        for name, body in zip(["Ledger", "LEDGER", "ledger"], BODIES, strict=False)
    ]
    assert all(NOTE not in a.text for a in remove_outlet_boilerplate(articles))


def test_boilerplate_articles_without_outlet_are_left_alone() -> None:
    articles = [article(None, body, NOTE) for body in BODIES[:3]]
    assert remove_outlet_boilerplate(articles) == articles
