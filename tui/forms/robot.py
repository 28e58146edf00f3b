"""Forms for a robot: add or edit it, change its phase (dated), set its operators and the
competencies they need (each a picker: F2 searches), log a month's benefit.

Every rule is the store's (`store.robots`, `store.integrity`): a form parses what was typed,
shows each refusal at its field and saves through the store operation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widgets import Input, Select, Static

from i18n import N_, _, format_date, format_decimal, language
from store.integrity import key_taken_problems, level_problems
from store.labels import phase_label
from store.models import (
    HOURLY_RATE,
    PHASE_DANISH,
    Entity,
    Robot,
    RobotBenefit,
    RobotPhase,
    Setting,
)
from store.problems import by_field, problem, render
from store.robots import (
    change_phase,
    hourly_rate,
    log_month,
    phase_change_refusal,
    save_robot,
    set_hourly_rate,
    set_operators,
    set_required_competencies,
    with_phase,
)
from tui.forms.base import FormField, FormScreen
from tui.forms.choices import labelled
from tui.forms.parsing import (
    FieldError,
    optional_text,
    parse_amount,
    parse_date,
    parse_int,
    parse_month,
    parse_optional_date,
    parse_required,
)

SLOTS = 6
"""How many operators, or required competencies, the forms offer (each a picker)."""


def phase_options(exclude: RobotPhase | None = None) -> list[tuple[Text, str]]:
    """Each phase in the current language; in English with the Danish name one may type too."""
    danish = language() == "da"
    return [
        (Text(phase_label(p) if danish else f"{phase_label(p)} ({PHASE_DANISH[p]})"), str(p))
        for p in RobotPhase
        if p != exclude
    ]


def text_field(name: str, label: str, value: str, parse=optional_text, placeholder: str = ""):
    return FormField(name, label, Input(value, placeholder=placeholder, compact=True), parse)


def number_text(value: float) -> str:
    return f"{value:g}" if value else ""


class RobotForm(FormScreen[Robot]):
    """Add a robot (its phase begins on the as-of date) or edit one (the phase is changed with
    the phase form, so that it is dated)."""

    def __init__(self, robot: Robot | None = None, on: dt.date | None = None) -> None:
        super().__init__()
        self.robot = robot
        self.on = on
        self.title_text = _("Edit robot") if robot else _("Add a robot")

    def fields(self) -> Iterable[FormField]:
        r = self.robot
        if r is not None:
            code = r.code
            yield FormField(
                "code",
                _("Code"),
                Static(labelled(code, ""), classes="fixed-value"),
                lambda _raw: code,
            )
        else:
            yield text_field("code", _("Code"), "", lambda raw: parse_required(raw, _("a code")))
        yield text_field(
            "name", _("Name"), r.name if r else "", lambda raw: parse_required(raw, _("a name"))
        )
        yield self.reference_field(
            "department", _("Department"), "departments", r.department if r else ""
        )
        if r is None:
            yield FormField(
                "phase",
                _("Phase"),
                Select(phase_options(), value="idea", allow_blank=False, compact=True),
            )
        yield text_field("process", _("Process"), r.process if r else "", lambda raw: raw.strip())
        yield text_field(
            "platform", _("Platform"), r.platform if r else "", lambda raw: raw.strip()
        )
        yield self.reference_field(
            "owner", _("Owner"), "staff", (r.owner or "") if r else "", required=False,
            empty=_("empty: no owner"),
        )  # fmt: skip
        yield text_field(
            "go_live", _("Go-live"), r.go_live.isoformat() if r and r.go_live else "",
            parse_optional_date, _("YYYY-MM-DD (optional)"),
        )  # fmt: skip
        yield text_field(
            "expected_hours_per_year", _("Expected h/yr"),
            number_text(r.expected_hours_per_year) if r else "", parse_amount, _("hours a year"),
        )  # fmt: skip
        yield text_field(
            "yearly_cost", _("Yearly cost"), number_text(r.yearly_cost) if r else "",
            parse_amount, _("kroner a year"),
        )  # fmt: skip
        yield text_field(
            "kle", _("KLE number"), r.kle if r else "", lambda raw: raw.strip(), _("e.g. 27.24.08")
        )
        yield text_field(
            "run_frequency", _("Runs"), r.run_frequency if r else "", lambda raw: raw.strip(),
            _("how often: hourly, every night…"),
        )  # fmt: skip

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        if self.robot is not None or "code" not in values:
            return {}
        return by_field(key_taken_problems(self.app.repo.ds, "robots", values["code"]), {"code"})[0]

    def make_record(self, values: dict[str, Any]) -> Entity:
        if self.robot is None:
            return Robot(**values)
        return Robot.model_validate({**vars(self.robot), **values})

    def save(self, record: Entity) -> Robot:
        assert isinstance(record, Robot)
        return save_robot(self.app.repo, record, self.robot, on=self.on)

    def saved_message(self, saved: Robot) -> str:
        return _("Saved {code}").format(code=saved.code)


class PhaseForm(FormScreen[Robot]):
    """Move a robot to another phase from a date (default the as-of date); the phase it
    leaves is kept in its history."""

    save_label = N_("Change phase")

    def __init__(self, robot: Robot, on: dt.date) -> None:
        super().__init__()
        self.robot = robot
        self.on = on
        self.save_label = _(type(self).save_label)
        phase = phase_label(robot.phase)
        if robot.phase_since:
            title = _("Change the phase of {code} (now {phase} since {date})")
        else:
            title = _("Change the phase of {code} (now {phase})")
        self.title_text = title.format(
            code=robot.code,
            phase=phase,
            date=robot.phase_since and format_date(robot.phase_since),
        )

    def fields(self) -> Iterable[FormField]:
        options = phase_options(exclude=self.robot.phase)
        yield FormField(
            "phase",
            _("New phase"),
            Select(options, value=options[0][1], allow_blank=False, compact=True),
        )
        yield text_field("phase_since", _("From"), self.on.isoformat(), parse_date, _("YYYY-MM-DD"))

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        if "phase" not in values or "phase_since" not in values:
            return {}
        refused = phase_change_refusal(
            self.robot, RobotPhase(values["phase"]), values["phase_since"]
        )
        return {} if refused is None else {refused.field: render(refused)}

    def make_record(self, values: dict[str, Any]) -> Entity:
        return with_phase(self.robot, RobotPhase(values["phase"]), values["phase_since"])

    def save(self, record: Entity) -> Robot:
        assert isinstance(record, Robot)
        return change_phase(self.app.repo, self.robot, record.phase, record.phase_since)

    def saved_message(self, saved: Robot) -> str:
        return _("{code} is in {phase} from {date}").format(
            code=saved.code,
            phase=phase_label(saved.phase),
            date=format_date(saved.phase_since) if saved.phase_since else None,
        )


class OperatorsForm(FormScreen[Robot]):
    """The robot's operators, exactly: one person per field (number or name; F2 searches)."""

    save_label = N_("Set operators")

    def __init__(self, robot: Robot) -> None:
        super().__init__()
        self.robot = robot
        self.save_label = _(type(self).save_label)
        self.title_text = _("Operators of {code}").format(code=robot.code)

    def fields(self) -> Iterable[FormField]:
        operators = list(self.robot.operators)
        for i in range(max(SLOTS, len(operators) + 1)):
            value = operators[i] if i < len(operators) else ""
            yield self.reference_field(
                f"operator_{i + 1}", _("Operator {n}").format(n=i + 1), "staff", value,
                required=False, empty=_("empty: none"),
            )  # fmt: skip

    def chosen(self, values: dict[str, Any]) -> list[str]:
        return [v for name, v in values.items() if name.startswith("operator_") and v]

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        seen: dict[str, str] = {}
        errors = {}
        for name, value in values.items():
            if value and value in seen:
                errors[name] = render(problem(name, "operator_twice", key=value))
            elif value:
                seen[value] = name
        return errors

    def make_record(self, values: dict[str, Any]) -> Entity:
        return self.robot.model_copy(update={"operators": self.chosen(values)})

    def save(self, record: Entity) -> Robot:
        assert isinstance(record, Robot)
        return set_operators(self.app.repo, self.robot, record.operators)

    def saved_message(self, saved: Robot) -> str:
        return _("{code}: {count} operator(s)").format(code=saved.code, count=len(saved.operators))


class CompetenciesForm(FormScreen[Robot]):
    """What the robot's operators must master: a competency and a level per line, exactly."""

    save_label = N_("Set competencies")

    def __init__(self, robot: Robot) -> None:
        super().__init__()
        self.robot = robot
        self.save_label = _(type(self).save_label)
        self.title_text = _("Competencies {code} requires of its operators").format(code=robot.code)

    def fields(self) -> Iterable[FormField]:
        required = list(self.robot.required_competencies.items())
        for i in range(max(SLOTS // 2, len(required) + 1)):
            code, level = required[i] if i < len(required) else ("", None)
            yield self.reference_field(
                f"competency_{i + 1}", _("Competency {n}").format(n=i + 1), "competencies", code,
                required=False, empty=_("empty: none"),
            )  # fmt: skip
            yield text_field(
                f"level_{i + 1}", "  " + _("level"), "" if level is None else str(level),
                lambda raw: None if not raw.strip() else parse_int(raw, low=1),
                _("1 up to the competency's highest level"),
            )  # fmt: skip

    def pairs(self, values: dict[str, Any]) -> dict[str, tuple[str, int | None]]:
        """Line number -> (competency, level) for each line with a competency."""
        return {
            name.removeprefix("competency_"): (code, values.get(f"level_{name[11:]}"))
            for name, code in values.items()
            if name.startswith("competency_") and code
        }

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        errors: dict[str, str] = {}
        seen: set[str] = set()
        ds = self.app.repo.ds
        for line, (code, level) in self.pairs(values).items():
            if code in seen:
                errors[f"competency_{line}"] = render(problem("", "operator_twice", key=code))
            seen.add(code)
            if level is None:
                if f"level_{line}" in values:
                    errors[f"level_{line}"] = render(
                        problem("", "required_what", what=_("a level"))
                    )
                continue
            found = level_problems(ds, code, level, f"level_{line}")
            if found:
                errors[f"level_{line}"] = render(found[0])
        return errors

    def make_record(self, values: dict[str, Any]) -> Entity:
        required = {code: level for code, level in self.pairs(values).values()}
        return self.robot.model_copy(update={"required_competencies": required})

    def save(self, record: Entity) -> Robot:
        assert isinstance(record, Robot)
        return set_required_competencies(self.app.repo, self.robot, record.required_competencies)

    def saved_message(self, saved: Robot) -> str:
        return _("{code}: {count} competency requirement(s)").format(
            code=saved.code, count=len(saved.required_competencies)
        )


class LogMonthForm(FormScreen[RobotBenefit]):
    """A month's hours saved, runs and failed runs (a month logged again is corrected)."""

    save_label = N_("Log month")

    def __init__(self, robot: Robot, month: str) -> None:
        super().__init__()
        self.robot = robot
        self.month = month
        self.save_label = _(type(self).save_label)
        self.title_text = _("Log a month of {code}").format(code=robot.code)

    def fields(self) -> Iterable[FormField]:
        yield text_field("month", _("Month"), self.month, parse_month, _("YYYY-MM"))
        yield text_field("hours_saved", _("Hours saved"), "", parse_hours, _("hours"))
        yield text_field("runs", _("Runs"), "", parse_count, _("how many runs (optional)"))
        yield text_field(
            "failed_runs", _("Failed runs"), "", parse_count, _("of them failed (optional)")
        )

    def check_values(self, values: dict[str, Any]) -> dict[str, str]:
        runs, failed = values.get("runs"), values.get("failed_runs")
        if runs is not None and failed is not None and failed > runs:
            return {"failed_runs": render(problem("", "failed_runs_above_runs"))}
        return {}

    def make_record(self, values: dict[str, Any]) -> Entity:
        return RobotBenefit(robot=self.robot.code, **values)

    def save(self, record: Entity) -> RobotBenefit:
        assert isinstance(record, RobotBenefit)
        return log_month(self.app.repo, record)

    def saved_message(self, saved: RobotBenefit) -> str:
        return _("{code} {month}: {hours} h logged").format(
            code=saved.robot, month=saved.month, hours=hours_text(saved.hours_saved)
        )


def hours_text(value: float) -> str:
    """Hours or kroner as typed ('12.5', '300'), with the current language's decimal sign."""
    text = f"{value:g}"
    return (
        text if "." not in text or "e" in text else format_decimal(value, len(text.split(".")[1]))
    )


def parse_hours(text: str) -> float:
    if not text.strip():
        raise FieldError("required_what", what=_("the hours saved"))
    return parse_amount(text)


def parse_count(text: str) -> int:
    return 0 if not text.strip() else parse_int(text, low=0)


class HourlyRateForm(FormScreen[Setting]):
    """The database's hourly rate: the value of an hour a robot saves (empty: not set, and no
    robot has a net value)."""

    save_label = N_("Set rate")
    title_text = N_("Hourly rate (net value = hours saved × rate − yearly cost)")

    def __init__(self) -> None:
        super().__init__()
        self.save_label = _(type(self).save_label)
        self.title_text = _(type(self).title_text)

    def fields(self) -> Iterable[FormField]:
        rate = hourly_rate(self.app.repo.ds)
        yield text_field(
            "value", _("Kroner/hour"), "" if rate is None else f"{rate:g}",
            lambda raw: None if not raw.strip() else f"{parse_amount(raw):g}",
            _("empty: not set"),
        )  # fmt: skip

    def make_record(self, values: dict[str, Any]) -> Entity:
        self.clearing = values["value"] is None
        return Setting(name=HOURLY_RATE, value=values["value"] or "0")

    def save(self, record: Entity) -> Setting:
        assert isinstance(record, Setting)
        set_hourly_rate(self.app.repo, None if self.clearing else record.value)
        return record

    def saved_message(self, saved: Setting) -> str:
        if self.clearing:
            return _("Hourly rate not set")
        return _("Hourly rate: {rate} kr").format(rate=hours_text(float(saved.value)))
