"""A whole custom framework -- its scale and its competencies -- as one JSON file.

{"code": "RPA", "name": "Robot operation",
 "scale": [{"level": 1, "label": "Beginner", "descriptor": "..."}, ...],
 "competencies": [{"code": "RPA1", "name": "Runs a robot", "area": "...", "description": ""}]}
"""

from __future__ import annotations

import dataclasses

import orjson
from pydantic import ValidationError

from store.dataset import Dataset
from store.importing.kinds import KINDS
from store.importing.plan import Plan
from store.integrity import record_problems
from store.models import Competency, Framework
from store.problems import Problem, from_pydantic
from store.text_rules import text_problems


def looks_like_json(data: bytes) -> bool:
    return data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def plan_framework(data: bytes, source: str, ds: Dataset) -> Plan:
    plan = Plan(KINDS["competencies"], source)
    try:
        document = orjson.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError as error:
        plan.problem(1, "file", Problem("", "not_json", {"reason": str(error)}))
        return plan
    if not isinstance(document, dict):
        plan.problem(1, "file", Problem("", "not_one_object"))
        return plan
    items = document.pop("competencies", [])
    try:
        framework = Framework.model_validate(document)
    except ValidationError as error:
        _add(plan, "framework", from_pydantic(error))
        return plan
    refused = text_problems(framework)  # refused as the model's own problems are, at its part
    if refused:
        _add(plan, "framework", refused)
        return plan
    _add(plan, "", record_problems(ds, framework))  # e.g. a scale shrunk below levels in use
    if ds.frameworks.get(framework.code) != framework:
        plan.extra_records.append(framework)
    if not isinstance(items, list):
        plan.problem(1, "competencies", Problem("", "must_be_list"))
        return plan
    view = dataclasses.replace(ds, frameworks={**ds.frameworks, framework.code: framework})
    seen: set[str] = set()
    for number, item in enumerate(items, start=1):
        where = f"competencies[{number}]"
        if not isinstance(item, dict):
            plan.problem(1, where, Problem("", "must_be_object"))
            continue
        current = ds.competencies.get(str(item.get("code", "")).strip())
        values = {**(dict(current) if current else {}), **item, "framework": framework.code}
        try:
            competency = Competency.model_validate(values)
        except ValidationError as error:
            _add(plan, where, from_pydantic(error))
            continue
        if competency.code in seen:
            plan.problem(1, where, Problem("", "duplicate_code", {"code": competency.code}))
            continue
        seen.add(competency.code)
        _add(plan, where, record_problems(view, competency))
        if current == competency:
            plan.unchanged += 1
            continue
        (plan.added if current is None else plan.updated).append(competency)
        plan.in_file_order.append(competency)
    return plan


def _add(plan: Plan, part: str, problems: list[Problem]) -> None:
    """Problems of a part of the file ("framework", "competencies[2]"), each at its field:
    listed as `file:1: part: field: message`."""
    for found in problems:
        where = ": ".join(name for name in (part, found.field) if name)
        plan.problem(1, where, found)
