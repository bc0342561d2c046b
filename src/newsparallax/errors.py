"""Every exception Parallax raises on purpose, in one tree.

    ParallaxError
    ├── InputError            one input (a file, a record) could not be read; the batch goes on
    │   ├── UnsupportedInput  no reader for this kind of file
    │   ├── EmptyInput        the file or record holds no article text
    │   ├── UnreadableInput   binary data, or text in no encoding we can detect
    │   ├── InputTooLarge     larger than `ingest.max_file_bytes`
    │   └── MalformedInput    a feed, JSON document or WARC archive that does not parse
    ├── ConfigError           a settings file with an unknown key or a value of the wrong type
    ├── PlanError             pipeline stages whose requirements no earlier stage assigns
    ├── ModelNotFound         a language model that is not installed
    └── StoreError            the store cannot be opened or written

Messages say what went wrong *and what to do about it*: a user reading one on stderr
should not need the source to recover. `InputError` always names the input, because
a batch of ten thousand files is useless if the error does not say which one failed.
"""

from __future__ import annotations


class ParallaxError(Exception):
    """Base of every error Parallax raises deliberately."""


class InputError(ParallaxError):
    """One input could not be turned into articles.

    Args:
        source: the path or URL of the input, as the user would recognise it.
        problem: what is wrong, in words, ideally with what to do about it.
    """

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class UnsupportedInput(InputError):
    """No reader handles this kind of file."""


class EmptyInput(InputError):
    """The input holds no article text."""


class UnreadableInput(InputError):
    """Binary data, or bytes in no encoding we can identify."""


class InputTooLarge(InputError):
    """The input exceeds the configured size limit; it is not read at all."""


class MalformedInput(InputError):
    """The input claims a structured format (JSON, feed, WARC) but does not parse as one."""


class ConfigError(ParallaxError):
    """A settings file is wrong: unknown key, wrong type, unreadable TOML."""


class PlanError(ParallaxError):
    """The pipeline cannot run: a stage requires something no earlier stage assigns."""


class ModelNotFound(ParallaxError):
    """A language model named in the settings is not installed."""


class StoreError(ParallaxError):
    """The store cannot be opened, migrated or written."""
