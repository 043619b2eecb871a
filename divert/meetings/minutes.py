"""A meeting's minutes as a PDF: the print page through WeasyPrint, with the print stylesheet.

Nothing is fetched: the stylesheet is read from the package and every other URL refused.
"""

from pathlib import Path
from typing import Any

from django.template.loader import render_to_string

CSS_FILE = Path(__file__).resolve().parents[1] / "web" / "static" / "web" / "minutes.css"


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> dict:
    raise ValueError(f"minutes fetch nothing ({url})")


def minutes_pdf(context: dict[str, Any]) -> bytes:
    from weasyprint import CSS, HTML

    page = render_to_string("meetings/print.html", {**context, "pdf": True})
    return HTML(string=page, url_fetcher=_no_fetch).write_pdf(
        stylesheets=[CSS(filename=str(CSS_FILE), media_type="print")]
    )
