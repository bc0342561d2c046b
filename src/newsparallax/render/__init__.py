"""Output: the JSON contract (the one codec), the HTML report."""

from newsparallax.render.contract import (
    SCHEMA_ID,
    load_schema,
    report_from_json,
    report_json_text,
    report_to_json,
)
from newsparallax.render.html import render_html

__all__ = [
    "SCHEMA_ID",
    "load_schema",
    "render_html",
    "report_from_json",
    "report_json_text",
    "report_to_json",
]
