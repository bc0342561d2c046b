"""Boilerplate removal: what a reader of the article would skip, recorded with a reason.

Each rule is a small function that looks at the article's paragraphs and names the
ones it removes. Rules err on the side of keeping text: a removed sentence of real
reporting is worse than a kept share button, so every pattern is anchored, short
and specific, and tests hold fixtures of body text each rule must leave alone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence

from newsparallax.config import CleanOptions
from newsparallax.model import Removal, RemovalReason

Rule = Callable[[Sequence[str], str | None, CleanOptions], dict[int, RemovalReason]]

# "… Photo: AAP", "(Picture: John Smith/Reuters)", "Image credit: Getty Images",
# "AP Photo/Efrem Lukatsky": a credit label, then a short capitalised credit at the end.
_CREDIT = re.compile(
    r"(?:^|(?<=[\s(.]))\(?"
    r"(?:(?:AP|AFP|AAP|EPA|Reuters)\s+)?"
    r"(?:photo(?:graph)?|picture|pic|image|video|file photo)s?(?:\s+credit)?"
    r"\s*(?::|/|\bby\b)\s*"
    r"(?P<credit>[^():]{1,80}?)\)?\.?\s*$",
    re.IGNORECASE,
)
_CREDIT_CONNECTORS = frozenset({"via", "and", "for", "of", "the", "&", "/", "-", "–"})

# The signature line of an embedded post, as embeds render when flattened to text:
# "— Richard Roe (@rroe) November 17, 2024" (X/Twitter), "A post shared by Name (@handle)".
_POST_SIGNATURE = re.compile(
    r"(?:^|\s)(?:[—–-]{1,2}\s*[^()\n]{1,80}?\s*\(@\w{1,30}\)\s+"
    r"[A-Z][a-z]{2,8}\.?\s+\d{1,2},\s+\d{4}"
    r"|A post shared by\s+[^()\n]{0,80}\(@[\w.]{1,30}\))\s*$"
)
# A paragraph that introduces an embedded post, and so is not part of it.
_INTRODUCES = re.compile(
    r"\b(?:said|says|wrote|writes|posted|tweeted|told|added|according to)\b|:\s*$", re.I
)
_INSTAGRAM_HEADER = re.compile(r"^\s*View this post on Instagram\s*$", re.I)
_URL = re.compile(r"(?:https?://|www\.|pic\.twitter\.com/)\S+")
_TWEET_URL_LENGTH = 23  # X/Twitter counts every link as 23 characters
_BARE_LINK = re.compile(r"^\s*[<(\[]?(?:https?://|www\.|pic\.twitter\.com/)\S+[>)\]]?\s*$")

_SHARE = re.compile(
    r"^\W*(?:"
    r"share (?:this|on|via)\b|share:|share$|tweet(?: this)?\W*$|e-?mail(?: this)?\W*$"
    r"|print(?: this)?\W*$|subscribe (?:now|to|for|today)\b|sign up (?:for|to|now)\b"
    r"|read more(?=\s*[:»›>|]|\s*$|\s+(?:at|on|here|about|from|stories|news)\b)"
    r"|read also\b|see also\b|related(?::| (?:articles|stories|coverage|content)\b)"
    r"|advertisement\W*$|follow us (?:on|at)\b|click here\b|download (?:our|the) app\b"
    r"|listen to this (?:article|story)\b|(?:watch|video)\s*:|comments?\W*$"
    r")",
    re.IGNORECASE,
)


def clean_paragraphs(
    paragraphs: Sequence[str], *, title: str | None, options: CleanOptions
) -> tuple[list[str], list[Removal]]:
    """Split paragraphs into those kept and those removed (each with the first rule's reason).

    Returns:
        The kept paragraphs in order, and the removals in order.
    """
    verdicts: dict[int, RemovalReason] = {}
    for rule in RULES:
        for index, reason in rule(paragraphs, title, options).items():
            verdicts.setdefault(index, reason)
    kept = [p for i, p in enumerate(paragraphs) if i not in verdicts]
    removed = [Removal(paragraphs[i], verdicts[i]) for i in sorted(verdicts)]
    return kept, removed


def title_repeated(
    paragraphs: Sequence[str], title: str | None, options: CleanOptions
) -> dict[int, RemovalReason]:
    """The headline again as the first paragraph, as page extractors often return it."""
    if title and paragraphs and _fold(paragraphs[0]) == _fold(title):
        return {0: RemovalReason.TITLE_REPEATED}
    return {}


def captions(
    paragraphs: Sequence[str], title: str | None, options: CleanOptions
) -> dict[int, RemovalReason]:
    """Paragraphs ending in a photo credit: "… fire missiles into Russia. Photo: AAP"."""
    found = {}
    for index, paragraph in enumerate(paragraphs):
        match = _CREDIT.search(paragraph)
        if match and _is_credit(match["credit"], options.caption_credit_max_words):
            found[index] = RemovalReason.CAPTION
    return found


def social_embeds(
    paragraphs: Sequence[str], title: str | None, options: CleanOptions
) -> dict[int, RemovalReason]:
    """An embedded post: its signature line and the paragraphs of the post above it.

    When the signature closes a paragraph of its own text, that paragraph is the whole
    post (embeds flattened to one block). When it stands alone, the post's paragraphs
    are above it, and are taken walking up while the whole stays within one post's
    length, stopping at the paragraph that introduces the post: one that attributes
    ("…, Roe wrote online") or ends with a colon. That paragraph, and
    everything above it, is body text.
    """
    found: dict[int, RemovalReason] = {}
    for index, paragraph in enumerate(paragraphs):
        match = _POST_SIGNATURE.search(paragraph)
        if not match:
            continue
        found[index] = RemovalReason.SOCIAL_EMBED
        if paragraph[: match.start()].strip():
            continue  # the post's text is in this paragraph
        if match.group().lstrip().startswith("A post shared by"):
            found.update(_instagram_header_above(paragraphs, index))
            continue
        budget = options.social_post_max_chars
        above = index - 1
        while above >= 0 and above not in found:
            text = paragraphs[above]
            length = _post_length(text)
            if length > budget or _INTRODUCES.search(text):
                break
            budget -= length
            found[above] = RemovalReason.SOCIAL_EMBED
            above -= 1
    return found


def _instagram_header_above(paragraphs: Sequence[str], index: int) -> dict[int, RemovalReason]:
    """Instagram embeds open with "View this post on Instagram"; the caption lies between."""
    for start in range(index - 1, max(index - 4, -1), -1):
        if _INSTAGRAM_HEADER.match(paragraphs[start]):
            return {i: RemovalReason.SOCIAL_EMBED for i in range(start, index)}
    return {}


def bare_links(
    paragraphs: Sequence[str], title: str | None, options: CleanOptions
) -> dict[int, RemovalReason]:
    """Paragraphs that are nothing but a link (shortened links of embeds, "pic.twitter.com/…")."""
    return {i: RemovalReason.BARE_LINK for i, p in enumerate(paragraphs) if _BARE_LINK.match(p)}


def share_lines(
    paragraphs: Sequence[str], title: str | None, options: CleanOptions
) -> dict[int, RemovalReason]:
    """Short share / subscribe / read-more furniture; long paragraphs are never furniture."""
    return {
        i: RemovalReason.SHARE_LINE
        for i, p in enumerate(paragraphs)
        if len(p.split()) <= options.share_line_max_words and _SHARE.match(p)
    }


def repeated_paragraphs(
    paragraphs: Sequence[str], title: str | None, options: CleanOptions
) -> dict[int, RemovalReason]:
    """A paragraph repeated verbatim later in the same article: the first stays."""
    seen: set[str] = set()
    found = {}
    for index, paragraph in enumerate(paragraphs):
        if len(paragraph.split()) < options.repeated_paragraph_min_words:
            continue
        key = _fold(paragraph)
        if key in seen:
            found[index] = RemovalReason.REPEATED_PARAGRAPH
        seen.add(key)
    return found


SUBHEADING_MAX_WORDS = 12
_CLOSING = tuple('.!?:;,"”’)…—–-')


def subheadings(
    paragraphs: Sequence[str], title: str | None, options: CleanOptions
) -> dict[int, RemovalReason]:
    """Section headings inside the body ("Decision Sends a Signal"): a short paragraph in
    title case, with no closing punctuation and no digits, after two paragraphs of text
    and before a longer one. A heading is structure, not a statement: no quote or claim
    is in it, and its capitals would make the recogniser see an organisation."""
    found = {}
    for index in range(2, len(paragraphs) - 1):  # after some body text, before more
        words = paragraphs[index].split()
        if not 2 <= len(words) <= SUBHEADING_MAX_WORDS or words[0] == "By":
            continue
        if any(c.isdigit() for c in paragraphs[index]):
            continue  # a dateline or a time stamp ("Published: April 16, 2013"), a score
        line = paragraphs[index].strip()
        if line.endswith(_CLOSING) or line.startswith(("“", '"', "‘", "'", "-", "—", "―", "–")):
            continue
        content = [w for w in words if sum(c.isalpha() for c in w) >= 4]
        capitalised = [w for w in content if w[:1].isupper()]
        followed = len(paragraphs[index + 1].split()) > len(words)
        if len(content) >= 2 and len(capitalised) >= 0.8 * len(content) and followed:
            found[index] = RemovalReason.SUBHEADING
    return found


RULES: tuple[Rule, ...] = (
    title_repeated,
    social_embeds,
    captions,
    bare_links,
    share_lines,
    repeated_paragraphs,
    subheadings,
)


def _is_credit(credit: str, max_words: int) -> bool:
    """A credit names agencies or people: few words, each capitalised or a connector."""
    words = credit.replace("/", " / ").split()
    if not 0 < len(words) <= max_words + 2:
        return False
    names = [w for w in words if w.lower() not in _CREDIT_CONNECTORS]
    return 0 < len(names) <= max_words and all(w[0].isupper() or w[0].isdigit() for w in names)


def _post_length(text: str) -> int:
    return len(_URL.sub("x" * _TWEET_URL_LENGTH, text.strip()))


def _fold(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())
