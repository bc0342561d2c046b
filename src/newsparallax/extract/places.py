"""Whether a place name is a place or an actor, read from the words around it.

"Moscow said", "Washington's decision", "Kyiv's use of the missiles", "Ukraine fired":
the name stands for a government or a country acting (metonymy), and the map must not
show it as where something happened. "Russia's western Bryansk region", "fired into
Russia", "a strike on Odesa" are locations. The rules look at what follows the name (a
possessive and the noun it governs, or a verb of saying or acting) and what precedes
it ("according to").
"""

from __future__ import annotations

import re

from newsparallax.model import Span

ACTOR_NOUNS = (
    "decision|policy|position|use|response|move|claims?|allies|ally|officials?|government|"
    "leadership|approval|permission|stance|plans?|threats?|warnings?|support|refusal|demands?|"
    "offer|statement|strategy|retaliation|pledge|involvement|interests?|deployment|forces|"
    "troops|military|army|war|invasion|attacks?|efforts?|escalation|aggression|envoy|"
    "ambassador|ministry|president|leader|spokesman|spokeswoman|spokesperson|intelligence|"
    "defen[cs]e ministry|foreign ministry|backing|aid|sanctions|strikes?|offensive|"
    "counter-offensive|campaign|actions?|answer|reaction|rejection|consent|view|verdict|"
    "parliament|cabinet|prime minister|foreign minister|navy|air force|embassy|regime"
)
# Verbs of saying and acting, in the forms that follow a subject.
_ACTOR_STEMS = (
    "say said says warn warned warns claim claimed claims deny denied denies confirm confirmed "
    "confirms accuse accused accuses respond responded responds decide decided decides agree "
    "agreed agrees refuse refused refuses insist insisted insists announce announced announces "
    "vow vowed vows threaten threatened threatens approve approved approves allow allowed allows "
    "welcome welcomed welcomes condemn condemned condemns cite cited cites fire fired fires "
    "launch launched launches strike struck strikes attack attacked attacks send sent sends "
    "deploy deployed deploys supply supplied supplies give gave gives use used uses issue issued "
    "issues escalate escalated escalates begin began begins plan plans planned expect expects "
    "expected believe believes believed want wants wanted reject rejected rejects demand "
    "demanded demands promise promised promises retaliate retaliated retaliates invade invaded "
    "invades pledge pledged pledges sign signed signs impose imposed imposes consider "
    "considered considers accept accepted accepts continue continued continues support "
    "supported supports mediate mediated mediates urge urged urges call called calls"
).split()
_AUXILIARIES = (
    "has|have|had|would|will|could|should|must|might|may|can|did|does|do|is|are|was|were|also|"
    "then|neither|not|never|already|now|repeatedly|previously|strongly|itself|has yet to"
)

_AUXILIARY_THEN_VERB = rf"(?:(?:{_AUXILIARIES})\s+)*(?:{'|'.join(_ACTOR_STEMS)})\b"
_AFTER = re.compile(
    rf"^(?:['’]s?\s+(?:[\w-]+\s+){{0,2}}(?:{ACTOR_NOUNS})\b"
    rf"|(?:\s+and\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)?(?:\s*,\s*\w+\s*,)?"
    rf"\s+{_AUXILIARY_THEN_VERB})"
)
_BEFORE = re.compile(r"(?:according to|told by|said to)\s+$", re.IGNORECASE)
_LOCATIVE = re.compile(
    r"\b(?:in|into|near|at|from|to|across|around|outside|inside|over|toward|towards|of)\s+$",
    re.IGNORECASE,
)
_REGION_WORD = re.compile(r"^\s+(?:region|oblast|province|district|governorate|state)\b", re.I)


def is_metonymy(text: str, span: Span) -> bool:
    """Whether the place name at `span` stands for an actor rather than a location."""
    if _BEFORE.search(text, max(0, span.start - 20), span.start):
        return True
    if _LOCATIVE.search(text, max(0, span.start - 12), span.start):
        return False  # "troops in Kursk", "fired into Russia": where, not who
    after = text[span.end : span.end + 120]
    if _REGION_WORD.match(after):
        return False
    return bool(_AFTER.match(after))


def names_a_region(text: str, span: Span) -> bool:
    """ "Kursk region", "Rostov oblast": the name is followed by a word for a region."""
    return bool(_REGION_WORD.match(text[span.end : span.end + 20]))
