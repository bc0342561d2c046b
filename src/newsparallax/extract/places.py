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
    "counter-offensive|campaign|actions?|answer|reaction|rejection|consent|view|verdict"
)
ACTOR_VERBS = (
    "said|says|say|warned|warns|claimed|claims|denied|denies|confirmed|confirms|accused|accuses|"
    "responded|responds|decided|decides|agreed|agrees|refused|refuses|insisted|insists|"
    "announced|announces|vowed|vows|threatened|threatens|approved|approves|allowed|allows|"
    "welcomed|welcomes|condemned|condemns|cited|cites|fired|fires|launched|launches|struck|"
    "strikes|attacked|attacks|sent|sends|deployed|deploys|supplied|supplies|gave|gives|used|"
    "uses|issued|issues|escalated|escalates|began|begins|plans|planned|expects|expected|"
    "believes|believed|wants|wanted|rejected|rejects|demanded|demands|promised|promises|"
    "retaliated|retaliates|invaded|invades|pledged|pledges|signed|signs|imposed|imposes|"
    "would|will|could|has|have|had|is|was|must|should|can|may|might"
)
_AUXILIARY_THEN_VERB = (
    rf"(?:(?:has|have|had|would|will|could|did|does|is|was|also|then|"
    rf"neither|not|never|already|now|repeatedly|previously|strongly)\s+)*(?:{ACTOR_VERBS})\b"
)
_AFTER = re.compile(
    rf"^(?:['’]s?\s+(?:[\w-]+\s+){{0,2}}(?:{ACTOR_NOUNS})\b"
    rf"|(?:\s+and\s+[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+)?)?(?:\s*,\s*\w+\s*,)?\s+{_AUXILIARY_THEN_VERB})"
)
_BEFORE = re.compile(r"(?:according to|told by|said to)\s+$", re.IGNORECASE)
_REGION_WORD = re.compile(r"^\s+(?:region|oblast|province|district|governorate|state)\b", re.I)


def is_metonymy(text: str, span: Span) -> bool:
    """Whether the place name at `span` stands for an actor rather than a location."""
    if _BEFORE.search(text, max(0, span.start - 20), span.start):
        return True
    after = text[span.end : span.end + 120]
    if _REGION_WORD.match(after):
        return False
    return bool(_AFTER.match(after))


def names_a_region(text: str, span: Span) -> bool:
    """ "Kursk region", "Rostov oblast": the name is followed by a word for a region."""
    return bool(_REGION_WORD.match(text[span.end : span.end + 20]))
