"""One browser session of `kapabel serve`, as its own process: the app on a database, driven
headlessly. `python -m tests.tui.browser_session TARGET MINE OTHERS COUNT`:

prints `ready` once the People screen shows; on a line `go` on stdin, saves COUNT people
numbered MINE0.. as the person form does (`store.staff.save_person`, one save each), then,
pressing no key, waits until its People screen shows the other session's last person
(OTHERS{COUNT-1}) and prints `saw`. The fallback reload is an hour away: only the store's
change notification can bring the other session's saves in."""

from __future__ import annotations

import asyncio
import sys

from store.demo import DEMO_AS_OF
from store.models import Staff
from store.staff import save_person
from tests.tui.helpers import overview_ready, screen_words, settle
from tui.app import KapabelApp

AN_HOUR = 3600.0


def person(prefix: str, n: int, department: str) -> Staff:
    return Staff(employee_no=f"{prefix}{n}", name=f"Session {prefix} {n}", department=department)


async def session(target: str, mine: str, others: str, count: int) -> None:
    app = KapabelApp(db_path=target, as_of=DEMO_AS_OF, watch_interval=AN_HOUR)
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot, lambda: overview_ready(app), timeout=60)
        await pilot.press("3")
        await settle(pilot, lambda: "Showing 1–" in screen_words(pilot), timeout=60)
        print("ready", flush=True)
        assert (await asyncio.to_thread(sys.stdin.readline)).strip() == "go"
        department = min(app.repo.ds.departments)
        for n in range(count):
            save_person(app.repo, person(mine, n, department))
            app.data_changed()
            await pilot.pause()
        last = f"Session {others} {count - 1}"
        await settle(pilot, lambda: last in screen_words(pilot), timeout=60)
        print("saw", flush=True)
        await pilot.press("q")


if __name__ == "__main__":
    target, mine, others, count = sys.argv[1:]
    asyncio.run(session(target, mine, others, int(count)))
