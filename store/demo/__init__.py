"""The demo municipality: a fictional Danish municipality that exercises every feature.

`generate` is deterministic for a seed: everything is drawn from one `random.Random(seed)` over
ordered lists (never sets of strings, whose order changes between runs), and every date is
fixed relative to `DEMO_AS_OF`, never to today. `--staff N` scales it keeping the proportions:
departments grow with the staff (40 at 1,200, about 300 at 50,000), robots with the departments.

The whole municipality is built in memory first (`build`) and then written in one transaction
with one summary audit entry, so a 50,000-staff database is one write, not a million.

Modules: `catalogue` (names and content), `dates`, `organisation`, `competencies`, `strategy`,
`history`, `robots`, `coverage` (coverage rules and ratings about to lapse, from a stream of
their own so the others' draws stay as they were), and `municipality` (assembly and writing).
"""

from store.demo.dates import DEMO_AS_OF
from store.demo.municipality import Municipality, build, generate
from store.demo.organisation import department_count, tree_shape
from store.demo.robots import robot_count

__all__ = [
    "DEMO_AS_OF",
    "Municipality",
    "build",
    "department_count",
    "generate",
    "robot_count",
    "tree_shape",
]
