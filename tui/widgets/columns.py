"""Column widths that fill a table's width, so a table fits 80 columns and uses 120 well."""

from __future__ import annotations

from i18n import _

CELL_PADDING = 2  # DataTable pads each cell by one on either side
SCROLLBAR = 2


def titled(fixed: dict[str, int]) -> dict[str, int]:
    """Fixed widths (keyed by the columns' English titles) widened where the title in the
    current language is longer, so that no title is cut (English keeps its widths)."""
    return {label: max(width, len(_(label))) for label, width in fixed.items()}


def fit_widths(
    total: int, fixed: dict[str, int], shares: dict[str, float], minimum: int = 6
) -> dict[str, int]:
    """Fixed columns keep their width; the flexible ones split what is left by their shares.

    A flexible column never gets less than `minimum`; what that costs is taken from the widest
    of the others, so the table is no wider than `total` while the room allows the minimums.
    The result is ordered as `fixed` then `shares`; callers add columns in their own order.
    """
    count = len(fixed) + len(shares)
    room = total - sum(fixed.values()) - CELL_PADDING * count - SCROLLBAR
    whole = sum(shares.values()) or 1.0
    flexible = {name: max(minimum, int(room * share / whole)) for name, share in shares.items()}
    excess = sum(flexible.values()) - max(room, minimum * len(flexible))
    while excess > 0:
        widest = max(flexible, key=flexible.__getitem__)
        flexible[widest] -= 1
        excess -= 1
    return {**fixed, **flexible}
