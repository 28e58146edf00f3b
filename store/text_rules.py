"""Finding the characters a record's text may not hold (`store.text.FORBIDDEN`), at their fields.

Each model marks its text types with a `TextRule`; `text_problems` walks a record's fields by
their types -- into optional values, lists, dict keys and values, and nested models -- once per
model class to plan, then per record only over the values. It runs where records come in (every
save and import calls `store.integrity.record_problems`); reading a database back does not pay
for it.
"""

from __future__ import annotations

import types
from collections.abc import Callable
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from store.problems import Problem
from store.text import FORBIDDEN, TextRule, first_forbidden

Location = tuple[str | int, ...]
Walk = Callable[[Any, Location], list[Problem]]


def text_problems(record: BaseModel) -> list[Problem]:
    """A problem for each field holding a character its kind of text refuses (the first one),
    named as pydantic names fields: 'name', 'operators.0', 'raises.DC1.1|x.[key]'."""
    fine = _all_fine(type(record))
    if fine is not None and fine(record):
        return []  # the usual case, told fast (an import checks a million records)
    return _walk_model(record, ())


@cache
def _all_fine(model: type) -> Callable[[Any], bool] | None:
    """For a model whose text fields are each a string (or None) with a rule, a quick test
    that none holds a refused character; None for other models (the walk tells)."""
    fields = getattr(model, "model_fields", {})
    searches = []
    for name, _walk in _plan(model):
        rule = plain_text_rule(fields[name].annotation, tuple(fields[name].metadata))
        if rule is None:
            return None
        searches.append((name, FORBIDDEN[rule.kind].search))

    def fine(record: Any) -> bool:
        for name, search in searches:
            value = getattr(record, name, None)
            if isinstance(value, str) and search(value):
                return False
        return True

    return fine


def plain_text_rule(annotation: Any, metadata: tuple = ()) -> TextRule | None:
    """The rule of a field that holds one string (or None), else None."""
    rule = next((m for m in metadata if isinstance(m, TextRule)), None)
    if rule is not None:
        return rule
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return plain_text_rule(args[0], args[1:])
    if origin is Union or origin is types.UnionType:
        options = [a for a in args if a is not type(None)]
        return plain_text_rule(options[0]) if len(options) == 1 else None
    return None


def _walk_model(record: object, location: Location) -> list[Problem]:
    found: list[Problem] = []
    for name, walk in _plan(type(record)):
        found += walk(getattr(record, name, None), (*location, name))
    return found


@cache
def _plan(model: type) -> tuple[tuple[str, Walk], ...]:
    """The fields of `model` that hold text with a rule, each with how to walk its value."""
    fields = getattr(model, "model_fields", {})
    plan = []
    for name, info in fields.items():
        walk = _walker(info.annotation, tuple(info.metadata))
        if walk is not None:
            plan.append((name, walk))
    return tuple(plan)


def _walker(annotation: Any, metadata: tuple = ()) -> Walk | None:  # noqa: PLR0911
    rule = next((m for m in metadata if isinstance(m, TextRule)), None)
    if rule is not None:
        return lambda value, location: _check(value, location, rule)
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is Annotated:
        return _walker(args[0], args[1:])
    if origin is Union or origin is types.UnionType:
        walks = [w for a in args if a is not type(None) and (w := _walker(a)) is not None]
        return walks[0] if len(walks) == 1 else None
    if origin is list and args:
        return _list_walker(_walker(args[0]))
    if origin is dict and len(args) == 2:
        return _dict_walker(_walker(args[0]), _walker(args[1]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and _plan(annotation):
        return lambda value, location: (
            _walk_model(value, location) if isinstance(value, annotation) else []
        )
    return None


def _list_walker(item: Walk | None) -> Walk | None:
    if item is None:
        return None

    def walk(value: Any, location: Location) -> list[Problem]:
        if not isinstance(value, list | tuple):
            return []
        return [p for i, v in enumerate(value) for p in item(v, (*location, i))]

    return walk


def _dict_walker(key: Walk | None, item: Walk | None) -> Walk | None:
    if key is None and item is None:
        return None

    def walk(value: Any, location: Location) -> list[Problem]:
        if not isinstance(value, dict):
            return []
        found: list[Problem] = []
        for k, v in value.items():
            if key is not None:
                found += key(k, (*location, k, "[key]"))
            if item is not None:
                found += item(v, (*location, k))
        return found

    return walk


def _check(value: Any, location: Location, rule: TextRule) -> list[Problem]:
    if not isinstance(value, str):
        return []
    char = first_forbidden(value, rule.kind)
    if char is None:
        return []
    field = ".".join(map(str, location))
    return [Problem(field, "forbidden_character", {"character": char, "why": rule.why})]
