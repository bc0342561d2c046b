"""The data model: frozen records, standard library only, no I/O."""

import dataclasses
import operator
from types import ModuleType
from typing import Any

from newsparallax.model import article as _article
from newsparallax.model import story as _story
from newsparallax.model.article import (
    Annotated,
    Article,
    Measure,
    Mention,
    MentionType,
    Quotation,
    Removal,
    RemovalReason,
    Span,
    TimeExpr,
    Toponym,
)
from newsparallax.model.ids import (
    article_id,
    content_id,
    group_id,
    publication_id,
    publication_key,
)
from newsparallax.model.story import (
    Claim,
    Copy,
    CopyGroup,
    Discrepancy,
    DiscrepancyValue,
    Duplicate,
    DuplicateKind,
    Entity,
    InputFailure,
    JoinReason,
    KeptApart,
    Passage,
    Place,
    Quantity,
    Quote,
    Report,
    Story,
    StoryEvent,
    SummarySentence,
    TimelineEvent,
)

__all__ = [
    "Annotated",
    "Article",
    "Claim",
    "Copy",
    "CopyGroup",
    "Discrepancy",
    "DiscrepancyValue",
    "Duplicate",
    "DuplicateKind",
    "Entity",
    "InputFailure",
    "JoinReason",
    "KeptApart",
    "Measure",
    "Mention",
    "MentionType",
    "Passage",
    "Place",
    "Quantity",
    "Quotation",
    "Quote",
    "Removal",
    "RemovalReason",
    "Report",
    "Span",
    "Story",
    "StoryEvent",
    "SummarySentence",
    "TimeExpr",
    "TimelineEvent",
    "Toponym",
    "article_id",
    "content_id",
    "group_id",
    "publication_id",
    "publication_key",
]


def _pickled_by_position(module: ModuleType) -> None:
    """Give the frozen records of `module` a pickled state that is their field values in
    order, as `dataclasses` gives them, read and written without asking `fields()` again
    for every record: at 100,000 articles the analysed articles cross between processes
    as millions of records, and `fields()` alone took more than two minutes of
    the run's own process."""
    for record in vars(module).values():
        if not (
            isinstance(record, type)
            and dataclasses.is_dataclass(record)
            and record.__module__ == module.__name__
            and "__slots__" in record.__dict__
        ):
            continue
        names = tuple(f.name for f in dataclasses.fields(record))
        if not names:
            continue
        read = operator.attrgetter(*names)
        single = len(names) == 1

        def state(self: Any, read: Any = read, single: bool = single) -> tuple[Any, ...]:
            return (read(self),) if single else read(self)

        def restore(self: Any, values: tuple[Any, ...], names: tuple[str, ...] = names) -> None:
            for name, value in zip(names, values, strict=True):
                object.__setattr__(self, name, value)

        setattr(record, "__getstate__", state)  # noqa: B010 (a method, set on the class)
        setattr(record, "__setstate__", restore)  # noqa: B010


_pickled_by_position(_article)
_pickled_by_position(_story)
