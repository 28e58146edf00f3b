"""The app on a PostgreSQL database, by keys as a user works: it opens on the URL, shows the
data, and a save made by another program shows up."""

from __future__ import annotations

from store import open_store
from store.demo import DEMO_AS_OF
from store.models import Department
from store.postgres.migrate import migrate
from tests.tui.helpers import overview_ready, screen_text, settle
from tui.app import KapabelApp
from tui.cli import main


async def test_the_app_opens_a_url_and_sees_another_programs_save(pg_url: str, capsys) -> None:
    migrate(pg_url, user="hr")
    assert main(["demo", "--db", pg_url, "--staff", "12", "--no-open"]) == 0
    capsys.readouterr()
    app = KapabelApp(db_path=pg_url, as_of=DEMO_AS_OF, watch_interval=0.2)
    async with app.run_test(size=(100, 32)) as pilot:
        await settle(pilot, lambda: overview_ready(app))
        assert "kapabel_test_" in screen_text(pilot).splitlines()[0]  # the database's name
        other = open_store(pg_url, user="someone")
        other.put(Department(code="NYAFD", name="Nyoprettet Afdeling"))
        other.storage.close()
        await settle(pilot, lambda: "NYAFD" in app.repo.ds.departments)
        await pilot.press("2")
        await settle(pilot, lambda: "Nyoprettet Afdeling" in screen_text(pilot))
        await pilot.press("q")
