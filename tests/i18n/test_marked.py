"""Every text a person sees is marked for translation (issue #13): a check over the source.

It reads store/, reports/ and tui/ with `ast` and finds string literals and f-strings handed
to a place that shows them, that are not the direct argument of `_()`, `N_()` or `ngettext()`:

- Textual and Rich: the text of Static, Label, Button, Checkbox, TabPane, Option, Text,
  `.update(...)` and `.append(...)` (a Rich Text's or a list of words shown), Input's and every
  `placeholder=`, `title=`, `tooltip=`, `prompt=`, `label=`, `hint=`..., a table's column labels
  and literal cells, `Binding`'s description (and the third item of a BINDINGS tuple),
  `notify(...)` (also when handed to `call_from_thread`/`call_after_refresh`), the palette's
  SystemCommand, class attributes `TITLE`/`SUB_TITLE`/`BORDER_TITLE`/`BORDER_SUBTITLE` and
  assignments to `.title`, `.sub_title`, `.border_title`...;
- the app's own helpers that take a label (forms' fields, ConfirmDialog), and parameter
  defaults named like those keywords (`title: str = "Are you sure?"`);
- the command line: argparse's `help=`/`description=`/`epilog=`/`title=`, `parser.error`,
  `ArgumentTypeError`, `print(...)` and `input(...)`;
- errors a person reads: `raise X(...)` where X is a StoreError (the store's errors say they are
  fit to show a user), a ReportInputError or a UsageError, or a subclass of one (a one-word
  identifier given to one, such as the table in `NotFoundError("staff", key)`, is not text);
- store/problems.py: every message template and counted thing's words.

A string passes through `+`, `... if ... else ...`, `or`, `"...".format(...)` and wrappers that
only make text safe (`terminal_safe`, `escape`) on its way there. Not findings: strings without
a letter (besides `{placeholders}` and the name Kapabel), CSS-like ids (`#plans`,
`section-title`, `coverage_rules`), command-line options (`--read-only`), and any line carrying `# i18n: not shown` (or `# i18n: not
translated`, for a shown text that stays as it is, such as machine output).

Files still being marked are listed in NOT_YET_MARKED: their findings are printed (pytest -s)
but do not fail; a meta-test makes sure a finished file is taken off the list.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("store", "reports", "tui")
MARKERS = frozenset({"_", "N_", "ngettext"})

NOT_YET_MARKED: set[str] = set()
"""Files whose texts are being marked right now (issue #13): skipped by the check, until each is
done and taken off (the meta-test fails while a listed file has no findings left)."""

ALL = "*"
SHOWN_ARGUMENTS: dict[str, tuple[tuple[int, ...] | str, frozenset[str]]] = {
    # name of the callable: (positions of shown arguments, or ALL; keywords shown)
    "Static": ((0,), frozenset({"content", "renderable"})),
    "Label": ((0,), frozenset({"content", "renderable"})),
    "Button": ((0,), frozenset()),
    "Checkbox": ((0,), frozenset()),
    "MarkedCheckbox": ((0,), frozenset()),
    "RadioButton": ((0,), frozenset()),
    "TabPane": ((0,), frozenset()),
    "Tab": ((0,), frozenset()),
    "Option": ((0,), frozenset()),
    "Input": ((1,), frozenset()),
    "Text": ((0,), frozenset({"text"})),
    "Content": ((0,), frozenset()),
    "from_markup": ((0,), frozenset()),
    "update": ((0,), frozenset({"content"})),
    "append": ((0,), frozenset({"text"})),
    "add_column": ((0,), frozenset()),
    "add_columns": (ALL, frozenset()),
    "add_row": (ALL, frozenset()),
    "Binding": ((2,), frozenset()),
    "notify": ((0,), frozenset()),
    "SystemCommand": ((0, 1), frozenset()),
    "Hit": ((1, 3, 4), frozenset()),
    "DiscoveryHit": ((0, 2, 3), frozenset()),
    "ConfirmDialog": ((0, 1, 2, 3), frozenset()),
    "FormField": ((1,), frozenset()),
    "text_field": ((1, 4), frozenset()),
    "reference_field": ((1,), frozenset()),
    "code_field": ((1,), frozenset()),
    "level_field": ((0,), frozenset()),
    "parse_required": ((1,), frozenset()),
    "Table": ((0,), frozenset()),
    "print": (ALL, frozenset()),
    "input": ((0,), frozenset()),
    "error": ((0,), frozenset()),
    "ArgumentTypeError": ((0,), frozenset()),
}
"""Callables (by their name, a function's or a method's) whose arguments are shown."""

SHOWN_KEYWORDS = frozenset(
    {
        "title",
        "sub_title",
        "subtitle",
        "border_title",
        "border_subtitle",
        "label",
        "placeholder",
        "tooltip",
        "prompt",
        "description",
        "help",
        "epilog",
        "hint",
        "message",
        "question",
        "confirm_label",
        "keep_label",
        "empty",
        "empty_hint",
    }
)
"""Keyword arguments (and parameter defaults) shown whatever the callable."""

SHOWN_CLASS_ATTRIBUTES = frozenset({"TITLE", "SUB_TITLE", "BORDER_TITLE", "BORDER_SUBTITLE"})
SHOWN_ATTRIBUTES = frozenset(
    {"title", "sub_title", "border_title", "border_subtitle", "tooltip", "placeholder", "prompt"}
)
"""Attributes whose assignment (`widget.border_title = "..."`) shows the text."""

ONLY_IN = {"append": ("tui", "reports"), "update": ("tui",), "error": ("tui",)}
"""Callables whose name means something else elsewhere (a SQL statement appended in store)."""

PASS_THROUGH = frozenset({"terminal_safe", "escape", "one_line"})
"""Calls that hand their first argument on, made safe to show."""

NOTIFY_LATER = frozenset({"call_from_thread", "call_after_refresh", "call_later"})
"""`self.app.call_from_thread(self.notify, "...")`: the arguments after the first are notify's."""

USER_ERRORS = frozenset({"StoreError", "ReportInputError", "UsageError", "ArgumentTypeError"})
"""Exceptions whose message is shown to a person as it is (with every subclass, found below)."""

PROBLEM_TABLES = {"store/problems.py": frozenset({"MESSAGES", "THINGS"})}
"""Module-level tables of texts a person reads: each value (or item of a value) is marked."""

NOT_SHOWN = re.compile(r"#\s*i18n:\s*not (shown|translated)\b")
PLACEHOLDER = re.compile(r"\{[^{}]*\}|kapabel", re.IGNORECASE)
CSS_LIKE = re.compile(
    r"^[#.]?[a-z0-9]+(?:[-_][a-z0-9]+)+$"  # section-title, coverage_rules, .analysis-body
    r"|^[#.][a-z][a-z0-9_-]*$"  # #plans
    r"|^--?[a-z][a-z0-9-]*$"  # a command-line option: --read-only
)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    text: str
    where: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text} ({self.where})"


def name_of(function: ast.expr) -> str:
    if isinstance(function, ast.Name):
        return function.id
    if isinstance(function, ast.Attribute):
        return function.attr
    return ""


def literal_text(node: ast.expr) -> str | None:
    """The constant text of a string literal or f-string (f-string fields left out)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(
            "{}" if not isinstance(part, ast.Constant) else str(part.value) for part in node.values
        )
    return None


def is_text(text: str) -> bool:
    """Words a person reads: a letter outside placeholders, and not a CSS-like id."""
    stripped = text.strip()
    if CSS_LIKE.match(stripped):
        return False
    return re.search(r"[^\W\d_]", PLACEHOLDER.sub("", text)) is not None


def unmarked(node: ast.expr) -> Iterator[ast.expr]:
    """The literals that reach the value of `node` without passing through a marker."""
    if literal_text(node) is not None:
        yield node
    elif isinstance(node, ast.BinOp):
        yield from unmarked(node.left)
        yield from unmarked(node.right)
    elif isinstance(node, ast.IfExp):
        yield from unmarked(node.body)
        yield from unmarked(node.orelse)
    elif isinstance(node, ast.BoolOp):
        for value in node.values:
            yield from unmarked(value)
    elif isinstance(node, ast.Starred):
        yield from unmarked(node.value)
    elif isinstance(node, ast.Call):
        called = name_of(node.func)
        if called in MARKERS:
            return
        if called == "format" and isinstance(node.func, ast.Attribute):
            yield from unmarked(node.func.value)
        elif called in PASS_THROUGH and node.args:
            yield from unmarked(node.args[0])


def user_errors(trees: dict[str, ast.Module]) -> frozenset[str]:
    """USER_ERRORS and every class defined in the source that derives from one of them."""
    bases: dict[str, set[str]] = {}
    for tree in trees.values():
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(name_of(base) for base in node.bases)
    found = set(USER_ERRORS)
    while True:
        more = {name for name, parents in bases.items() if parents & found} - found
        if not more:
            return frozenset(found)
        found |= more


def shown_in_call(call: ast.Call, package: str) -> Iterator[tuple[ast.expr, str]]:
    """The arguments of `call` that are shown, each with what shows it."""
    called = name_of(call.func)
    if called in NOTIFY_LATER and call.args and name_of(call.args[0]) == "notify":
        yield from ((arg, "notify") for arg in call.args[1:2])
    rule = SHOWN_ARGUMENTS.get(called)
    if rule is not None and package in ONLY_IN.get(called, PACKAGES):
        positions, keywords = rule
        for index, arg in enumerate(call.args):
            if positions == ALL or index in positions:
                yield arg, called
        for keyword in call.keywords:
            if keyword.arg in keywords:
                yield keyword.value, f"{called}({keyword.arg}=)"
    if called == "Select" and call.args and isinstance(call.args[0], ast.List | ast.Tuple):
        for option in call.args[0].elts:
            if isinstance(option, ast.Tuple) and option.elts:
                yield option.elts[0], "Select option"
    for keyword in call.keywords:
        if keyword.arg in SHOWN_KEYWORDS:
            yield keyword.value, f"{called}({keyword.arg}=)"


def shown_values(tree: ast.Module, path: str, errors: frozenset[str]):
    """Every expression in `tree` whose value is shown: (statement it is in, expression, why)."""
    package = path.split("/", 1)[0]
    tables = PROBLEM_TABLES.get(path, frozenset())
    for statement in ast.walk(tree):
        if isinstance(statement, ast.stmt):
            yield from _in_statement(statement, package, errors, tables, tree)


def _children(statement: ast.stmt) -> Iterator[ast.AST]:
    """The nodes of `statement` that belong to it, not to a statement nested in it."""
    stack = list(ast.iter_child_nodes(statement))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.stmt):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _in_statement(statement, package, errors, tables, tree):
    for node in _children(statement):
        if isinstance(node, ast.Call):
            for value, why in shown_in_call(node, package):
                yield statement, value, why
        elif isinstance(node, ast.arguments):
            positional = node.posonlyargs + node.args
            pairs = list(
                zip(positional[len(positional) - len(node.defaults) :], node.defaults, strict=True)
            )
            pairs += [
                (a, d)
                for a, d in zip(node.kwonlyargs, node.kw_defaults, strict=True)
                if d is not None
            ]
            for arg, default in pairs:
                if arg.arg in SHOWN_KEYWORDS:
                    yield statement, default, f"default of {arg.arg}"
    if isinstance(statement, ast.Raise) and isinstance(statement.exc, ast.Call):
        call = statement.exc
        if name_of(call.func) in errors:
            for value in [*call.args, *(keyword.value for keyword in call.keywords)]:
                if not (literal_text(value) or "").isidentifier():  # a table: "staff"
                    yield statement, value, f"raise {name_of(call.func)}"
    if isinstance(statement, ast.Assign | ast.AnnAssign) and statement.value is not None:
        targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
        for target in targets:
            yield from _assigned(statement, target, package, tables, tree)


def _assigned(statement, target, package, tables, tree):
    value = statement.value
    if isinstance(target, ast.Name):
        if target.id in SHOWN_CLASS_ATTRIBUTES:
            yield statement, value, target.id
        elif target.id == "BINDINGS" and isinstance(value, ast.List | ast.Tuple):
            for binding in value.elts:
                if isinstance(binding, ast.Tuple) and len(binding.elts) >= 3:
                    yield statement, binding.elts[2], "BINDINGS"
        elif target.id in tables and statement in tree.body and isinstance(value, ast.Dict):
            for item in value.values:
                items = item.elts if isinstance(item, ast.Tuple) else [item]
                yield from ((statement, part, target.id) for part in items)
    elif isinstance(target, ast.Attribute) and package == "tui" and target.attr in SHOWN_ATTRIBUTES:
        yield statement, value, f".{target.attr} ="


def source_files() -> dict[str, ast.Module]:
    trees = {}
    for package in PACKAGES:
        for file in sorted((ROOT / package).rglob("*.py")):
            relative = file.relative_to(ROOT).as_posix()
            trees[relative] = ast.parse(file.read_text(encoding="utf-8"), relative)
    return trees


def findings(path: str, source: str, tree: ast.Module, errors: frozenset[str]) -> list[Finding]:
    """The unmarked texts of one file, each once."""
    lines = source.splitlines()
    found: dict[tuple[int, int], Finding] = {}
    for statement, value, why in shown_values(tree, path, errors):
        for literal in unmarked(value):
            text = literal_text(literal) or ""
            if not is_text(text):
                continue
            first = min(statement.lineno, literal.lineno)
            last = literal.end_lineno or literal.lineno
            if any(NOT_SHOWN.search(line) for line in lines[first - 1 : last]):
                continue
            shown = ast.unparse(literal)
            found.setdefault(
                (literal.lineno, literal.col_offset), Finding(path, literal.lineno, shown, why)
            )
    return sorted(found.values(), key=lambda f: f.line)


@pytest.fixture(scope="module")
def all_findings() -> dict[str, list[Finding]]:
    trees = source_files()
    errors = user_errors(trees)
    result = {}
    for path, tree in trees.items():
        source = (ROOT / path).read_text(encoding="utf-8")
        result[path] = findings(path, source, tree, errors)
    return result


def report(found: dict[str, list[Finding]]) -> str:
    return "\n".join(
        f"{path}: {len(items)} unmarked\n" + "\n".join(f"  {item}" for item in items)
        for path, items in sorted(found.items())
        if items
    )


def test_every_shown_text_is_marked(all_findings) -> None:
    waiting = {path: items for path, items in all_findings.items() if path in NOT_YET_MARKED}
    if any(waiting.values()):
        print("\nStill being marked (NOT_YET_MARKED):\n" + report(waiting))
    failing = report({p: items for p, items in all_findings.items() if p not in NOT_YET_MARKED})
    if failing:
        pytest.fail(
            "texts shown to a person but not marked for translation: wrap each in _() (N_() at "
            "import time; see i18n/__init__.py), or end the line with '# i18n: not shown'\n"
            + failing,
            pytrace=False,
        )


def test_not_yet_marked_lists_only_files_still_being_marked(all_findings) -> None:
    missing = sorted(path for path in NOT_YET_MARKED if not (ROOT / path).is_file())
    assert not missing, f"NOT_YET_MARKED names files that do not exist: {missing}"
    done = sorted(path for path in NOT_YET_MARKED if not all_findings.get(path))
    assert not done, f"these files are marked now: take them off NOT_YET_MARKED: {done}"


SAMPLE = """
import sys
from i18n import _, N_, ngettext

class Screen:
    TITLE = "People"
    BINDINGS = [Binding("a", "add", "Add"), ("d", "drop", N_("Drop")), ("x", "x", "Cut")]

    def compose(self, n):
        yield Static("Shown as it is")
        yield Static(_("Marked"), id="plain-id")
        yield Label(f"{n} people" if n else _("nobody"))
        yield Input(value, placeholder="YYYY-MM-DD")
        yield Static(_("{n} saved").format(n=n))
        yield Static("{n} saved".format(n=n))
        yield Static(ngettext("{n} person", "{n} people", n).format(n=n))
        yield Static("#plans")
        yield Static(" · ")
        yield Static(f"{n:,} · {n}")
        yield Static("Left alone")  # i18n: not shown
        self.query_one("#box").border_title = "Readiness"
        self.notify("Saved", title=_("Done"))
        self.app.call_from_thread(self.notify, "From a thread")
        print("kapabel " + version)
        print(terminal_safe(f"note: {n}"), file=sys.stderr)

def ask(question, title="Are you sure?", code="plain"):
    if question:
        raise NotFoundError("staff", question)
    raise PlanError("refused here")

class PlanError(StoreError):
    pass

class NotFoundError(PlanError):
    pass
"""


def test_the_check_finds_each_unmarked_text_and_nothing_else() -> None:
    tree = ast.parse(SAMPLE)
    found = findings("tui/sample.py", SAMPLE, tree, user_errors({"tui/sample.py": tree}))
    assert [(finding.text, finding.where) for finding in found] == [
        ("'People'", "TITLE"),
        ("'Add'", "Binding"),
        ("'Cut'", "BINDINGS"),
        ("'Shown as it is'", "Static"),
        ("f'{n} people'", "Label"),
        ("'YYYY-MM-DD'", "Input(placeholder=)"),
        ("'{n} saved'", "Static"),
        ("'Readiness'", ".border_title ="),
        ("'Saved'", "notify"),
        ("'From a thread'", "notify"),
        ("f'note: {n}'", "print"),
        ("'Are you sure?'", "default of title"),
        ("'refused here'", "raise PlanError"),
    ]


def test_store_problem_templates_are_checked() -> None:
    source = (
        'MESSAGES = {"a": "a message", "b": N_("marked")}\nTHINGS = {"x": ("one", N_("two"))}\n'
    )
    tree = ast.parse(source)
    found = findings("store/problems.py", source, tree, frozenset())
    assert [finding.text for finding in found] == ["'a message'", "'one'"]
