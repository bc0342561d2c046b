"""Timelines: publication days aligned per story, events merged across outlets."""

from __future__ import annotations

import dataclasses
import re
from datetime import date
from pathlib import Path
from typing import Any

from newsparallax.extract.publication import find_times
from newsparallax.link.timeline import (
    align_story_dates,
    build_timeline,
    day_importance,
    key_days,
    mark_key_days,
    pick_dates,
    timeline_stage,
)
from newsparallax.model import (
    Annotated,
    Article,
    Mention,
    MentionType,
    Quotation,
    Span,
    Story,
    article_id,
)
from test_mentions import span_of


def doc(
    text: str, published: date | None = None, people: dict[str, str] | None = None
) -> Annotated:
    """An article by hand: a sentence ends at a period followed by a capital."""
    boundary = re.compile(r"(?<=[.!?])\s+(?=[A-Z])")
    starts = [0] + [m.end() for m in boundary.finditer(text)]
    ends = [m.start() for m in boundary.finditer(text)] + [len(text)]
    sentences = [Span(s, e) for s, e in zip(starts, ends, strict=True)]
    mentions = tuple(
        Mention(Span(text.index(name), text.index(name) + len(name)), MentionType.PERSON, entity)
        for name, entity in (people or {}).items()
    )
    article = Article(id=article_id(None, text), source="t", text=text, published=published)
    return Annotated(article, sentences=tuple(sentences), mentions=mentions)


def story_of(*docs: Annotated) -> Story:
    return Story("s", "t", tuple(d.id for d in docs))


def test_timeline_undated_article_takes_the_story_day() -> None:
    dated = doc("The dam gave way on Monday. Engineers will report on March 20.", date(2025, 3, 4))
    undated = doc("Rescuers worked through Monday night. The inquiry opens on March 20.")
    docs = find_times([dated, undated])
    docs, _ = align_story_dates(docs, story_of(*docs))
    by_id = {d.id: d for d in docs}
    assert by_id[undated.id].article.published == date(2025, 3, 4)
    assert by_id[undated.id].article.published_inferred
    assert [t.value for t in by_id[undated.id].times] == ["2025-03-03", "2025-03-20"]


def test_timeline_article_far_from_its_story_is_read_in_the_story_year() -> None:
    a = doc("The war began on February 24, 2022. A strike hit the port on November 5.")
    b = doc("The strike came on Nov. 17, 2024.", date(2024, 11, 18))
    docs, _ = align_story_dates(find_times([a, b]), story_of(a, b))
    values = [t.value for t in docs[0].times]
    assert values == ["2022-02-24", "2024-11-05"]


def test_timeline_a_past_event_does_not_date_the_article() -> None:
    """An undated article that names a past event's day was written on or after it: its
    story, dated by the others, says when, and its weekdays follow."""
    dated = [
        doc("The port reopened on Sunday after the strike.", date(2025, 3, 16)),
        doc("Dockers went back to work on Sunday.", date(2025, 3, 16)),
    ]
    undated = doc(
        "Having walked out on March 3, the dockers returned on Sunday. The vote was close."
    )
    docs = find_times([*dated, undated])
    docs, _ = align_story_dates(docs, story_of(*docs))
    mine = next(d for d in docs if d.id == undated.id)
    assert mine.article.published == date(2025, 3, 16)
    assert [t.value for t in mine.times] == ["2025-03-03", "2025-03-16"]


def test_timeline_story_day_moves_to_meet_the_weekdays_an_article_names() -> None:
    """Its story says Sunday, but an undated article tells of Sunday and of what came "on
    Monday": it was written on Monday, not on the Sunday before, and its Monday is the
    day after the strike, not six days before it."""
    dated = [
        doc("The strike began on Sunday.", date(2025, 3, 16)),
        doc("Dockers walked out on Sunday.", date(2025, 3, 16)),
    ]
    undated = doc("The port closed on Sunday. On Monday, the minister said talks would resume.")
    docs, _ = align_story_dates(find_times([*dated, undated]), story_of(*dated, undated))
    mine = next(d for d in docs if d.id == undated.id)
    assert mine.article.published == date(2025, 3, 17)
    assert [t.value for t in mine.times] == ["2025-03-16", "2025-03-17"]
    # a Friday two days before the guess stays where it is
    near = doc("The port closed on Friday. The minister spoke.")
    docs, _ = align_story_dates(find_times([*dated, near]), story_of(*dated, near))
    assert next(d for d in docs if d.id == near.id).article.published == date(2025, 3, 16)


def test_timeline_merges_the_same_event_across_outlets() -> None:
    a = doc(
        "Trump will take office on Jan. 20, 2025. Rain fell on Dec. 1.",
        date(2024, 12, 2),
        {"Trump": "e-trump"},
    )
    b = doc(
        "Donald Trump is set to assume office on January 20. Snow fell on Dec. 1.",
        date(2024, 12, 3),
        {"Donald Trump": "e-trump"},
    )
    docs = find_times([a, b])
    story = build_timeline(docs, story_of(*docs))
    events = [(e.date, len(e.sources), e.scheduled) for e in story.timeline]
    assert events == [("2024-12-01", 1, False), ("2024-12-01", 1, False), ("2025-01-20", 2, True)]
    assert story.timeline[-1].evidence == ("Jan. 20, 2025", "January 20")


def test_timeline_event_opening_with_a_pronoun_names_its_actor() -> None:
    """ "It" and "she" opening an event stand for the first name of their kind in the
    sentence before; with no such name there, the pronoun stays."""
    text = (
        "On March 3, Corvania closed its border with Halvik. Two days later, it reopened "
        "the port. Minister Elsa Dunne visited the port on March 4. She spoke on March 6. "
        "The rain stopped. It flooded the road on March 7."
    )
    mentions = (
        Mention(span_of(text, "Corvania"), MentionType.PLACE, "e-corvania"),
        Mention(span_of(text, "Halvik"), MentionType.PLACE, "e-halvik"),
        Mention(span_of(text, "Elsa Dunne"), MentionType.PERSON, "e-dunne"),
    )
    one = doc(text, date(2025, 3, 8))
    one = dataclasses.replace(one, mentions=mentions)
    story = build_timeline(find_times([one]), story_of(one))
    texts = {e.date: e.text for e in story.timeline}
    assert texts["2025-03-05"] == "Corvania reopened the port."
    assert texts["2025-03-06"].startswith("Elsa Dunne spoke")
    assert texts["2025-03-07"].startswith("It flooded the road")


def test_timeline_one_statement_told_by_two_outlets_is_one_event() -> None:
    """One outlet quotes the minister ("the minister said", the quote stage's speaker
    being Aurelia Marsh), the other reports her words: the quote's speaker makes them one
    event, though they share no words."""
    quoted = (
        "Aurelia Marsh toured the valley. Then on Monday: “We will rebuild,” the minister said."
    )
    reported = "Aurelia Marsh vowed on Monday to restore the dam."
    a = dataclasses.replace(
        doc(quoted, date(2025, 3, 4)),
        mentions=(Mention(span_of(quoted, "Aurelia Marsh"), MentionType.PERSON, "e-marsh"),),
        quotes=(
            Quotation(
                span_of(quoted, "We will rebuild,"),
                "We will rebuild,",
                speaker=span_of(quoted, "Aurelia Marsh"),
                speaker_text="Aurelia Marsh",
            ),
        ),
    )
    b = doc(reported, date(2025, 3, 4), {"Aurelia Marsh": "e-marsh"})
    story = build_timeline(find_times([a, b]), story_of(a, b))
    assert [(e.date, len(e.sources)) for e in story.timeline] == [("2025-03-03", 2)]


def test_timeline_max_dates_keeps_the_days_most_articles_refer_to() -> None:
    """Three articles refer to the breach of March 3, one to a meeting of March 1: told to
    keep one key day, the timeline marks the breach, with all its tellings, and keeps the
    meeting unmarked."""
    docs = find_times(
        [
            doc("The dam gave way on March 3. Officials met on March 1.", date(2025, 3, 5)),
            doc("The breach of March 3 flooded the valley.", date(2025, 3, 6)),
            doc("Since the dam broke on March 3, rescuers have searched.", date(2025, 3, 7)),
        ]
    )
    story = story_of(*docs)
    _, every = timeline_stage(docs, story)
    assert {e.date for e in every.timeline if e.key} == {"2025-03-01", "2025-03-03"}
    _, one = timeline_stage(docs, story, max_dates=1)
    assert {e.date for e in one.timeline} == {"2025-03-01", "2025-03-03"}
    assert {e.date for e in one.timeline if e.key} == {"2025-03-03"}
    assert sum(len(e.sources) for e in one.timeline if e.key) == 3


def test_timeline_key_days_need_two_articles_worth_of_evidence() -> None:
    """A day one article mentions in passing (a past hearing) is not a key day; a day two
    articles refer to is; so is a day one refers to and two were published on. The
    passing mention stays on the timeline, unmarked, for the full list."""
    docs = find_times(
        [
            doc("The levee failed on April 8. A hearing was held on March 2.", date(2025, 4, 9)),
            doc("Since the levee failed on April 8, the town has waited.", date(2025, 4, 10)),
            doc("Crews arrived on April 10.", date(2025, 4, 11)),
            doc("The town voted to rebuild.", date(2025, 4, 10)),
        ]
    )
    importance = day_importance(docs)
    assert importance["2025-04-10"] == 1.0 + 0.5 + 0.5
    assert key_days(importance, importance, 2.0) == {"2025-04-08", "2025-04-10"}
    _, story = timeline_stage(docs, story_of(*docs), key_evidence=2.0)
    by_day = {e.date: e.key for e in story.timeline}
    assert by_day == {"2025-03-02": False, "2025-04-08": True, "2025-04-10": True}
    # marked again at another setting, a timeline's events follow that setting
    again = mark_key_days(docs, story, 0.0)
    assert all(e.key for e in again.timeline)
    assert key_days(importance, importance, 0.0) == set(importance)


def test_timeline_day_importance_counts_articles_not_mentions() -> None:
    docs = find_times(
        [
            doc(
                "Talks on May 2 failed. After May 2, nothing moved. May 2 was bleak.",
                date(2025, 5, 9),
            ),
            doc("The vote on May 4 passed.", date(2025, 5, 9)),
            doc("Since the vote on May 4, calm returned.", date(2025, 5, 4)),
        ]
    )
    importance = day_importance(docs)
    assert importance["2025-05-02"] == 1.0  # one article, however often it says so
    assert importance["2025-05-04"] == 1.0 + 0.5  # one refers to it, one was published on it
    assert importance["2025-05-09"] == 1.0  # two published on it
    ahead = day_importance(find_times([doc("The hearing is set for May 20.", date(2025, 5, 9))]))
    assert ahead["2025-05-20"] == 0.5  # a day still ahead: a plan, not yet an event
    assert pick_dates(["2025-05-02", "2025-05-04"], importance, 1) == {"2025-05-04"}
    assert pick_dates(["2025-05-02", "2025-05-04"], importance, 0) == {"2025-05-02", "2025-05-04"}


def test_timeline_event_text_drops_the_leading_date() -> None:
    a = doc("On Nov. 19, Ukraine fired six missiles.", date(2024, 11, 20))
    [event] = build_timeline(find_times([a]), story_of(a)).timeline
    assert event.text == "Ukraine fired six missiles." and event.date == "2024-11-19"


SEED_EVENTS = {
    "2024-11-19": "Bryansk",
    "2024-11-21": "Kursk",
    "2024-11-25": "interview",
    "2024-12-11": "Rostov",
    "2025-01-20": "",
    "2022-02-24": "invasion",
}


def test_timeline_on_the_seeds(seeds_report: dict[str, Any]) -> None:
    [story] = seeds_report["stories"]
    by_date: dict[str, list[dict[str, Any]]] = {}
    for event in story["timeline"]:
        by_date.setdefault(event["date"], []).append(event)
    texts = {a["id"]: a["text"] for a in seeds_report["articles"]}
    for day, word in SEED_EVENTS.items():
        assert day in by_date, day
        if word:  # the event's sentence is about it (here or in its source article)
            assert any(
                word in e["text"] or any(word in texts[s] for s in e["sources"])
                for e in by_date[day]
            ), day
    [inauguration] = by_date["2025-01-20"]
    assert len(inauguration["sources"]) == 4 and inauguration["scheduled"]
    assert [e["date"] for e in story["timeline"]] == sorted(e["date"] for e in story["timeline"])


# When each seed came out, as a reader of its text would tell (Parallax is not told): the
# December piece quotes "this week" an interview published Dec. 12; the others report the
# decision made public on Sunday, Nov. 17, 2024, with the next day's reactions.
SEED_DAYS = {
    "000": date(2024, 12, 13),
    "001": date(2024, 11, 18),
    "002": date(2024, 11, 18),
    "003": date(2024, 11, 18),
    "004": date(2024, 11, 18),
}


def test_timeline_seed_days_inferred_within_a_week_and_each_statement_once(
    seeds_report: dict[str, Any],
) -> None:
    """Issue 13: undated seeds get a day within a week of their own, and no statement
    stands on the timeline twice (on two days, or from two outlets)."""
    for article in seeds_report["articles"]:
        name = Path(article["source"]).name[:3]
        inferred = date.fromisoformat(article["published"])
        assert article["published_inferred"] and abs((inferred - SEED_DAYS[name]).days) < 7, name
    [story] = seeds_report["stories"]
    texts = [e["text"] for e in story["timeline"]]
    assert len(texts) == len(set(texts))


def test_timeline_an_article_dated_by_its_input_is_not_dated_again() -> None:
    """The story stage skips what the per-article stage already did for an article whose
    input gives its day: its times and anchor are what dating it afresh gives."""
    from newsparallax.extract.publication import date_article, dated_as_found

    given = doc("The bridge reopened on Monday, two days after the storm.", date(2024, 11, 20))
    undated = doc("The bridge reopened on Monday, two days after the storm.")
    for article in (given, undated):
        [found] = find_times([article])
        assert dated_as_found(found) == date_article(article)
