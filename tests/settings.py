"""Settings for the test suite: the real settings, with a fast password hasher."""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

os.environ.setdefault("DIVERT_TESTING", "1")

from divert.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The audit key and head file of a test run live in a directory of its own, never in var/.
_AUDIT_DIR = Path(tempfile.mkdtemp(prefix="divert-audit-"))
DIVERT_AUDIT_KEY = ""
DIVERT_AUDIT_KEY_FILE = _AUDIT_DIR / "audit_key"
DIVERT_AUDIT_HEAD_FILE = _AUDIT_DIR / "audit_head.json"
atexit.register(shutil.rmtree, _AUDIT_DIR, ignore_errors=True)
# Uploaded files of a test run too.
MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="divert-files-"))
atexit.register(shutil.rmtree, MEDIA_ROOT, ignore_errors=True)

# SQLite tests use a file, not shared-cache memory: only a file database makes parallel
# writers wait for each other the way a real deployment does (the caseload cap tests).
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(tempfile.gettempdir(), f"divert-test-{os.getpid()}.sqlite3")
    }
