"""Eraser for the erasure kill test, run as its own process: `python erase_worker.py`.

It imports the store once, then for each line `<db>` read from stdin forks a child that opens
the database (`opened`), erases the person `spread_person` spread (`erased`) and waits to be
killed. The test kills the child with SIGKILL at a random moment; this parent reaps it and says
`reaped <pid>`. Forking keeps each kill cheap (no interpreter start-up per run).
"""

from __future__ import annotations

import os
import sys
import time
import traceback

from store.erasure import erase_person
from store.repository import FolderRepository
from tests.iohelpers import EMPLOYEE_NO


def say(line: str) -> None:
    os.write(1, (line + "\n").encode())  # one write: lines of parent and child never mix


def erase(db: str) -> None:
    repo = FolderRepository.open(db, user="eraser")
    say("opened")
    erase_person(repo, EMPLOYEE_NO)
    say("erased")
    time.sleep(60)


def main() -> None:
    for line in sys.stdin:
        pid = os.fork()
        if pid == 0:
            try:
                erase(line.strip())
            except BaseException:
                say("error " + traceback.format_exc().replace("\n", " | "))
            finally:
                os._exit(0)
        say(f"forked {pid}")
        os.waitpid(pid, 0)
        say(f"reaped {pid}")


if __name__ == "__main__":
    main()
