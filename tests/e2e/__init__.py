"""End-to-end tests: the app served to a real browser (`kapabel serve`)."""

from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
"""Debian's chromium package (`.ci/run` installs it when missing); Playwright never downloads one."""
ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"
"""Screenshots the browser test keeps (git-ignored)."""
