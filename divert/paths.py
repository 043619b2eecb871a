"""Where divert keeps its files. Pure Python, shared by settings and the CLI."""

import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DIVERT_VAR_DIR", BASE_DIR / "var"))
