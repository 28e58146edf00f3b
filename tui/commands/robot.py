"""`kapabel robot phase|hourly-rate`: a robot's dated phase change, and the hourly rate that
gives its net value, from the command line (the same `store.robots` operations as the app)."""

from __future__ import annotations

import argparse
import datetime as dt

from store import open_store
from store.models import PHASE_DANISH, RobotPhase, parse_phase
from store.text import terminal_safe
from tui.commands.options import add_db_option, iso_date


def phase_argument(text: str) -> RobotPhase:
    """argparse type for a phase by its English or Danish name."""
    phase = parse_phase(text)
    if phase is None:
        names = ", ".join(f"{p} ({PHASE_DANISH[p]})" for p in RobotPhase)
        raise argparse.ArgumentTypeError(f"not a phase: {text!r} (one of {names})")
    return phase


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "robot",
        help="change a robot's phase, or set the hourly rate",
        description="A robot's dated phase change; the database's hourly rate (net value).",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION", required=True)
    phase = actions.add_parser(
        "phase", help="move a robot to another phase from a date (the old one is kept)"
    )
    phase.add_argument("code", help="the robot's code")
    phase.add_argument("phase", type=phase_argument, help="English or Danish (drift, pause...)")
    phase.add_argument(
        "--on", type=iso_date, metavar="YYYY-MM-DD", default=None, help="default: today"
    )
    add_db_option(phase)
    phase.set_defaults(handler=run_phase)
    rate = actions.add_parser(
        "hourly-rate",
        help="show or set the value of an hour saved (net value = hours × rate − cost)",
    )
    rate.add_argument("amount", nargs="?", default=None, help="kroner; 'none' unsets it")
    add_db_option(rate)
    rate.set_defaults(handler=run_hourly_rate)


def run_phase(args: argparse.Namespace) -> int:
    from store.robots import change_phase

    repo = open_store(getattr(args, "db", None))
    on = args.on or dt.date.today()
    robot = change_phase(repo, args.code.strip(), args.phase, on)
    print(terminal_safe(f"{robot.code}: {robot.phase} since {on.isoformat()}"))
    return 0


def run_hourly_rate(args: argparse.Namespace) -> int:
    from store.robots import hourly_rate, set_hourly_rate

    repo = open_store(getattr(args, "db", None))
    if args.amount is None:
        rate = hourly_rate(repo.ds)
        print("hourly rate: not set" if rate is None else f"hourly rate: {rate:g}")
        return 0
    unset = args.amount.strip().lower() in ("none", "")
    rate = set_hourly_rate(repo, None if unset else args.amount)
    print("hourly rate: not set" if rate is None else f"hourly rate: {rate:g}")
    return 0
