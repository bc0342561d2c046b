"""Each cleaning rule: what it must remove, and the body text it must keep."""

from __future__ import annotations

import pytest

from newsparallax.config import Settings
from newsparallax.ingest.clean import clean_paragraphs
from newsparallax.model import RemovalReason

OPTIONS = Settings.defaults().clean
BODY = "The council met on Tuesday and voted to close the old bridge to lorries."


def removed(paragraphs: list[str], title: str | None = None) -> list[tuple[str, RemovalReason]]:
    _, out = clean_paragraphs(paragraphs, title=title, options=OPTIONS)
    return [(r.text, r.reason) for r in out]


@pytest.mark.parametrize(
    "caption",
    [
        "Rescue workers search the rubble in Ostry on Monday. Photo: AAP",
        "Firefighters at the scene. (Photo: Jana Holm/Reuters)",
        "The mayor speaks to residents. Picture: Getty Images",
        "Flooded streets in the lower town. Image credit: Herald Pictures",
        "A crane lifts the hull. AP Photo/Efrem Holt",
        "Photo: Reuters",
        "Protesters outside parliament. Photograph by Ana Ruiz for The Bay Observer.",
    ],
)
def test_clean_removes_photo_captions(caption: str) -> None:
    assert removed([BODY, caption]) == [(caption, RemovalReason.CAPTION)]


@pytest.mark.parametrize(
    "body",
    [
        "The photo by Smith won the regional prize last spring, judges said.",
        "She described the image: a city in ruins and a sky full of smoke.",
        "The picture is bleak: unemployment rose for the third month in a row.",
        "Credit: the bank said it would lend more to small firms this year.",
        "Investors welcomed the news, and the video was shared thousands of times.",
    ],
)
def test_clean_keeps_body_text_that_mentions_photos(body: str) -> None:
    assert removed([BODY, body]) == []


def test_clean_removes_embedded_post_and_keeps_the_paragraph_introducing_it() -> None:
    intro = "“This will only make things worse,” Roe said, in a post written as the vote closed."
    post = [
        "Nobody expected the council to close the bridge in the middle of the harvest.",
        "This is a disaster for every farmer in the valley.",
        "Shameful. https://t.co/AbC123xyZ",
    ]
    signature = "— Richard Roe (@richroe) November 17, 2024"
    after = "The council said the bridge would reopen once repairs were done."
    out = removed([BODY, intro, *post, signature, after])
    assert out == [(p, RemovalReason.SOCIAL_EMBED) for p in [*post, signature]]


def test_clean_removes_post_flattened_into_one_paragraph() -> None:
    post = "Proud of our crews tonight. https://t.co/x1 — Dunmere Fire (@DunmereFire) March 3, 2025"
    assert removed([BODY, post]) == [(post, RemovalReason.SOCIAL_EMBED)]


def test_clean_removes_instagram_embed_signature() -> None:
    post = "A post shared by Lena Orsk (@lena.orsk)"
    assert removed([BODY, post]) == [(post, RemovalReason.SOCIAL_EMBED)]


def test_clean_removes_instagram_embed_with_its_header_and_caption() -> None:
    embed = ["View this post on Instagram", "Forty new shops!", "A post shared by Crumb (@crumb)"]
    assert removed([BODY, *embed, BODY + " Again."]) == [
        (p, RemovalReason.SOCIAL_EMBED) for p in embed
    ]


@pytest.mark.parametrize(
    "body",
    [
        "The minister — who spoke to reporters (@ the border post) on March 3, 2025 — said no.",
        "Users can reach the service at @helpdesk on weekdays, the company said.",
        "— and then, she said, everything changed.",
    ],
)
def test_clean_keeps_text_that_only_resembles_a_post_signature(body: str) -> None:
    assert removed([BODY, body]) == []


@pytest.mark.parametrize(
    "link",
    [
        "https://t.co/7ktLb5jpO7",
        "pic.twitter.com/AbCdEf",
        "  https://bit.ly/x  ",
        "<https://example.org/a>",
    ],
)
def test_clean_removes_bare_links(link: str) -> None:
    assert removed([BODY, link]) == [(link, RemovalReason.BARE_LINK)]


def test_clean_keeps_sentences_containing_links() -> None:
    body = "The full report is published at https://example.org/report and runs to 300 pages."
    assert removed([BODY, body]) == []


@pytest.mark.parametrize(
    "line",
    [
        "Share this article",
        "Share on Facebook",
        "SHARE:",
        "Subscribe now for unlimited access",
        "Sign up for our morning newsletter",
        "Read more: Valdoria's ageing dams",
        "READ MORE",
        "Related: How the port works",
        "Advertisement",
        "Follow us on X and Instagram",
        "Click here to get the app",
        "Listen to this article",
        "Watch: the moment the dam gave way",
    ],
)
def test_clean_removes_share_and_subscribe_lines(line: str) -> None:
    assert removed([BODY, line]) == [(line, RemovalReason.SHARE_LINE)]


@pytest.mark.parametrize(
    "body",
    [
        "Share prices fell 3 percent on Monday.",
        "Subscribers to the service complained about the outage for days.",
        "Read more widely, the report suggests the plan was never funded.",
        "Related companies in the group were not affected, the regulator said.",
        "Follow the money, the prosecutor told the jury in her closing speech.",
        "Watch the skies on Friday night, astronomers advise, when the comet is brightest.",
        "Share this article with care, the editors of the Bay Observer wrote in a note to readers "
        "after the leak, because it names people who have asked not to be identified.",
    ],
)
def test_clean_keeps_body_text_that_starts_like_furniture(body: str) -> None:
    assert removed([BODY, body]) == []


def test_clean_removes_verbatim_repeated_paragraph_keeping_the_first() -> None:
    other = "Engineers had warned in September that the dam needed repairs."
    kept, out = clean_paragraphs([BODY, other, BODY], title=None, options=OPTIONS)
    assert kept == [BODY, other]
    assert [(r.text, r.reason) for r in out] == [(BODY, RemovalReason.REPEATED_PARAGRAPH)]


def test_clean_repeat_detection_ignores_case_and_spacing() -> None:
    assert removed([BODY, BODY.upper().replace(" ", "  ")]) == [
        (BODY.upper().replace(" ", "  "), RemovalReason.REPEATED_PARAGRAPH)
    ]


@pytest.mark.parametrize("short", ["“No.”", "He paused.", "“Who signed off on that?”"])
def test_clean_keeps_short_paragraphs_that_repeat(short: str) -> None:
    assert removed([short, BODY, short]) == []


def test_clean_keeps_paragraphs_that_differ_slightly() -> None:
    assert removed([BODY, BODY.replace("Tuesday", "Wednesday")]) == []


def test_clean_removes_title_repeated_as_first_paragraph_only() -> None:
    title = "Dam gives way above Dunmere"
    assert removed([title, BODY], title=title) == [(title, RemovalReason.TITLE_REPEATED)]
    assert removed([BODY, title], title=title) == []


def test_clean_keeps_everything_in_an_ordinary_article() -> None:
    article = [
        BODY,
        "“We will not wait for the water to go down,” the minister said.",
        "On Monday, residents returned to their homes.",
        "Two days later, the agency raised the toll to 14.",
    ]
    kept, out = clean_paragraphs(article, title="Dam", options=OPTIONS)
    assert kept == article and out == []


def test_clean_removes_subheadings_between_body_paragraphs() -> None:
    heading = "Minister Orders an Inquiry"
    article = [BODY, "Twelve people died when the dam gave way.", heading, BODY + " More follows."]
    assert removed(article) == [(heading, RemovalReason.SUBHEADING)]


@pytest.mark.parametrize(
    "line",
    [
        "Published: April 16, 2013",  # a time stamp: the article's day may come from it
        "THURSDAY, APRIL 11, 2013, 9:36 AM",
        "― Ana Ruiz",  # a quote's signature line
        "The council voted to close the bridge",  # a sentence without its full stop
        "By Mara Holt",
    ],
)
def test_clean_keeps_lines_that_only_look_like_subheadings(line: str) -> None:
    article = [BODY, "Twelve people died when the dam gave way.", line, BODY + " More follows."]
    assert removed(article) == []
