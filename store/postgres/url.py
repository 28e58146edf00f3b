"""PostgreSQL URLs as Kapabel shows them: never with the password.

A password in the URL works (libpq reads it), as do `PGPASSFILE` and the standard `PG*`
variables; whatever a message, the audit log or the output names is `store.locations.location`'s
form of the URL, and a driver's message passes `hide_password` first.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlsplit

from store.locations import SECRET_PARAMS, location


def hide_password(text: str, url: str) -> str:
    """`text` (an error from the driver, say) with the URL's password taken out wherever it
    appears, for a message that must not leak it."""
    parts = urlsplit(url.strip())
    secrets = [parts.password or ""]
    secrets += [v for k, v in parse_qsl(parts.query) if k.lower() in SECRET_PARAMS]
    text = text.replace(url, location(url))
    for secret in filter(None, secrets):
        text = text.replace(secret, "***")
    return text
