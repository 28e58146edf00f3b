"""PostgreSQL URLs as Kapabel shows them: never with the password.

A password in the URL works (libpq reads it), as do `PGPASSFILE` and the standard `PG*`
variables; whatever a message, the audit log or the output names, it is `safe_url`'s form.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

SCHEMES = ("postgresql://", "postgres://")
SECRET_PARAMS = frozenset({"password", "sslpassword"})


def is_postgres_url(target: object) -> bool:
    """True for a `postgresql://` (or `postgres://`) URL, False for a folder path."""
    return isinstance(target, str) and target.strip().lower().startswith(SCHEMES)


def safe_url(url: str) -> str:
    """`url` without its password (in the user part or as a `password=` parameter)."""
    parts = urlsplit(url.strip())
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, _, hosts = netloc.rpartition("@")
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}@{hosts}" if user else hosts
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    query = [(k, v) for k, v in query if k.lower() not in SECRET_PARAMS]
    return urlunsplit(parts._replace(netloc=netloc, query=urlencode(query, safe="/")))


def hide_password(text: str, url: str) -> str:
    """`text` (an error from the driver, say) with the URL's password taken out wherever it
    appears, for a message that must not leak it."""
    parts = urlsplit(url.strip())
    secrets = [parts.password or ""]
    secrets += [v for k, v in parse_qsl(parts.query) if k.lower() in SECRET_PARAMS]
    text = text.replace(url, safe_url(url))
    for secret in filter(None, secrets):
        text = text.replace(secret, "***")
    return text
