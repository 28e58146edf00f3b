"""`sslmode` in the URL is honoured: a mode that asks for encryption gets it or nothing, in one
line naming the problem and never the password; `sslmode=disable` opens. The test server has
no SSL: over its Unix socket (where libpq itself would connect unencrypted whatever the mode)
Kapabel refuses, and over TCP (a stand-in server that, like the test server, offers no SSL)
libpq refuses; both reach the user as the same kind of line."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator

import pytest

from store import StoreError, open_store
from store.postgres.migrate import migrate
from tui.cli import main

PASSWORD = "pa55-w0rd"


def with_params(url: str, params: str) -> str:
    return f"{url}{'&' if '?' in url else '?'}{params}"


def with_password(url: str) -> str:
    return url.replace("postgresql://kapabel@", f"postgresql://kapabel:{PASSWORD}@", 1)


@pytest.fixture
def migrated(pg_url: str) -> str:
    migrate(pg_url, user="hr")
    return pg_url


@pytest.mark.parametrize("mode", ["require", "verify-ca", "verify-full"])
def test_a_mode_that_asks_for_encryption_is_refused_on_a_connection_without(
    migrated: str, mode: str
) -> None:
    with pytest.raises(StoreError) as refused:
        open_store(with_params(with_password(migrated), f"sslmode={mode}"))
    message = str(refused.value)
    assert "\n" not in message and PASSWORD not in message
    assert f"sslmode={mode}" in message and "not encrypted" in message
    assert "sslmode=disable" in message  # what to write instead for a local socket


def test_sslmode_disable_and_prefer_open(migrated: str) -> None:
    for mode in ("disable", "prefer"):
        repo = open_store(with_params(migrated, f"sslmode={mode}"))
        assert "DC1.1" in repo.ds.competencies
        repo.storage.close()


def check(url: str, capsys) -> tuple[int, str, str]:
    code = main(["check", "--db", url])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_with_sslmode_require_exits_1_with_one_line(migrated: str, capsys) -> None:
    """`kapabel check` lists its problems on stdout: the one problem is that the connection
    would not be encrypted; nothing on stderr, no password, no traceback."""
    code, out, err = check(with_params(with_password(migrated), "sslmode=require"), capsys)
    assert code == 1 and err == ""
    (problem,) = [line for line in out.splitlines() if line.startswith("problem: ")]
    assert "sslmode=require" in problem and "not encrypted" in problem
    assert PASSWORD not in out and "Traceback" not in out
    assert check(with_params(migrated, "sslmode=disable"), capsys)[0] == 0


def test_pgsslmode_in_the_environment_is_honoured_too(migrated: str, monkeypatch) -> None:
    monkeypatch.setenv("PGSSLMODE", "require")
    with pytest.raises(StoreError, match="sslmode=require"):
        open_store(migrated)


@pytest.fixture
def server_without_ssl() -> Iterator[int]:
    """A TCP port whose server answers a client's SSL request with PostgreSQL's "no SSL
    here" ('N'), as a server without SSL does; the port is yielded."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(30)

    def serve() -> None:
        try:
            client, _ = listener.accept()
        except OSError:
            return
        with client:
            client.recv(8)  # SSLRequest: length 8, code 80877103
            client.sendall(b"N")
            client.recv(1024)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1]
    listener.close()
    thread.join(timeout=30)


def test_over_tcp_a_server_without_ssl_is_refused_in_one_line(
    server_without_ssl: int, capsys
) -> None:
    url = f"postgresql://hr:{PASSWORD}@127.0.0.1:{server_without_ssl}/kapabel?sslmode=require"
    code, out, err = check(url, capsys)
    assert code == 1 and err == "" and PASSWORD not in out
    (problem,) = [line for line in out.splitlines() if line.startswith("problem: ")]
    assert problem.startswith("problem: postgresql://hr@127.0.0.1:")
    assert "SSL was required" in problem
