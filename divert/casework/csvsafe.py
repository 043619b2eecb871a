"""CSV cells a spreadsheet will not run as a formula. Pure Python.

A cell that starts with =, +, -, @, a tab or a carriage return is a formula to Excel and
LibreOffice (CSV injection); a leading apostrophe makes it plain text.

>>> safe_cell("=HYPERLINK(\\"http://x\\")")
'\\'=HYPERLINK("http://x")'
>>> safe_cell("Robert Jones"), safe_cell(None), safe_cell(3)
('Robert Jones', '', '3')
"""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
