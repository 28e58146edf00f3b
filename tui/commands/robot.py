"""`kapabel robot phase|hourly-rate`: a robot's dated phase change, and the hourly rate that
gives its net value, from the command line (the same `store.robots` operations as the app)."""

from __future__ import annotations

import argparse
import datetime as dt

from i18n import _, format_date, format_decimal
from store import open_store
from store.models import PHASE_DANISH, RobotPhase, parse_phase
from store.text import terminal_safe
from tui.commands.options import add_db_option, iso_date


def phase_argument(text: str) -> RobotPhase:
    """argparse type for a phase by its English or Danish name."""
    phase = parse_phase(text)
    if phase is None:
        names = ", ".join(f"{p} ({PHASE_DANISH[p]})" for p in RobotPhase)
        raise argparse.ArgumentTypeError(
            _("not a phase: {text!r} (one of {names})").format(text=text, names=names)
        )
    return phase


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser(
        "robot",
        help=_("change a robot's phase, or set the hourly rate"),
        description=_("A robot's dated phase change; the database's hourly rate (net value)."),
    )
    actions = parser.add_subparsers(title=_("actions"), metavar=_("ACTION"), required=True)
    phase = actions.add_parser(
        "phase", help=_("move a robot to another phase from a date (the old one is kept)")
    )
    phase.add_argument("code", help=_("the robot's code"))
    phase.add_argument("phase", type=phase_argument, help=_("English or Danish (drift, pause...)"))
    phase.add_argument(
        "--on", type=iso_date, metavar=_("YYYY-MM-DD"), default=None, help=_("default: today")
    )
    add_db_option(phase)
    phase.set_defaults(handler=run_phase)
    rate = actions.add_parser(
        "hourly-rate",
        help=_("show or set the value of an hour saved (net value = hours × rate − cost)"),
    )
    rate.add_argument("amount", nargs="?", default=None, help=_("kroner; 'none' unsets it"))
    add_db_option(rate)
    rate.set_defaults(handler=run_hourly_rate)


def run_phase(args: argparse.Namespace) -> int:
    from store.robots import change_phase

    repo = open_store(getattr(args, "db", None))
    on = args.on or dt.date.today()
    robot = change_phase(repo, args.code.strip(), args.phase, on)
    from store.labels import phase_label

    message = _("{code}: {phase} since {date}").format(
        code=robot.code, phase=phase_label(robot.phase), date=format_date(on)
    )
    print(terminal_safe(message))
    return 0


def run_hourly_rate(args: argparse.Namespace) -> int:
    from store.robots import hourly_rate, set_hourly_rate

    repo = open_store(getattr(args, "db", None))
    if args.amount is None:
        rate = hourly_rate(repo.ds)
        print(rate_text(rate))
        return 0
    unset = args.amount.strip().lower() in ("none", "")
    rate = set_hourly_rate(repo, None if unset else args.amount)
    print(rate_text(rate))
    return 0


def rate_text(rate: float | None) -> str:
    if rate is None:
        return _("hourly rate: not set")
    shown = f"{rate:g}"  # as many decimals as the rate has
    return _("hourly rate: {rate}").format(rate=format_decimal(rate, len(shown.partition(".")[2])))
