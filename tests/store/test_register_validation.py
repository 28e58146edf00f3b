"""Validating a register table (a file the store holds no trust record for): keys, document ids
and the as-written check are worked out in one pass; they give what the record-by-record way
gave (the same records in the same order, the same ids, the same refusal naming the same record,
the same verdict on whether the documents are as the store writes them)."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic_core import to_json

from store.errors import CorruptFileError
from store.models import Entity, Requirement, Staff
from store.register import (
    InvalidDocument,
    RegisterTable,
    _adapters,
    _as_written,
    parse_json_object,
    validate_documents,
)
from store.trusted import content_hash


def one_by_one(table: RegisterTable, raw: dict[str, dict]):
    """The records and ids as validation made them before (a key and an id per record)."""
    try:
        models = validate_documents(table.model, list(raw.values()))
    except InvalidDocument as error:
        raise CorruptFileError(
            table.path, f"record {error.key} fails validation: {error.detail}"
        ) from error
    records, index = {}, {}
    for doc_id, model in zip(raw, models, strict=True):
        key = model.key()
        if key in records:
            raise CorruptFileError(table.path, f"duplicate key {key!r} in {table.name}")
        records[key] = model
        try:
            index[key] = int(doc_id)
        except ValueError as error:
            raise CorruptFileError(table.path, f"document id {doc_id!r} is not a number") from error
    return records, index


def as_written_before(model: type[Entity], raw: dict[str, dict], records: dict) -> bool:
    """The as-written check as it was: the records as documents, then orjson of both."""
    written = _adapters[model].dump_python(list(records.values()), mode="json")
    if orjson.dumps(written) == orjson.dumps(list(raw.values())):
        return True
    raw.update(zip(list(raw), written, strict=True))
    return False


def outcome(work):
    try:
        return work()
    except CorruptFileError as error:
        return ("refused", str(error))


_spaced = st.sampled_from(["", " ", "  "])
_code = st.builds(
    lambda a, c, b: a + c + b, _spaced, st.sampled_from(["E1", "E2", "D1", "x"]), _spaced
)
_doc_ids = st.one_of(st.integers(1, 9).map(str), st.sampled_from(["x", " 3", "+4", "1_0", "٣"]))
_bools = st.sampled_from([True, False, 0, 1, "yes", "false"])
_staff = st.fixed_dictionaries(
    {"employee_no": _code, "name": st.text("Åa b", min_size=1, max_size=5), "department": _code},
    optional={
        "email": st.sampled_from([None, "", "  ", "a@b", " a@b ", "nobody", "@b", "a b@c"]),
        "role": st.none() | _code,
        "digital_agent": _bools,
        "active": _bools,
        "start_date": st.sampled_from([None, "2026-12-05", "2026-13-45", "20261205"]),
    },
)
_requirements = st.fixed_dictionaries(
    {"competency": _code, "level": st.sampled_from([1, 3, 3.0, 21, "4"]), "department": _code},
    optional={
        "role": st.none() | _code,
        "priority": st.sampled_from(["must", "should", " must", "never"]),
        "due": st.sampled_from([None, "2027-01-01", "2027-01-01T00:00"]),
        "theme": st.none() | _code,
    },
)


@pytest.mark.parametrize(("model", "documents"), [(Staff, _staff), (Requirement, _requirements)])
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_validating_a_table_gives_what_validating_record_by_record_gave(
    model: type[Entity], documents, data: st.DataObject
) -> None:
    docs = data.draw(st.lists(documents, max_size=6))
    shuffled = [dict(data.draw(st.permutations(list(doc.items())))) for doc in docs]
    ids = data.draw(st.lists(_doc_ids, min_size=len(docs), max_size=len(docs), unique=True))
    raw = dict(zip(ids, shuffled, strict=True))
    table = RegisterTable(model, Path("/nowhere") / f"{model.table}.json")

    got = outcome(lambda: table._validate(copy.deepcopy(raw)))
    expected = outcome(lambda: one_by_one(table, copy.deepcopy(raw)))

    if isinstance(expected, tuple) and expected[0] == "refused":
        assert got == expected
        return
    records, index = expected
    assert list(got.items()) == list(records.items())
    assert table.doc_ids == index
    mine, before = copy.deepcopy(raw), copy.deepcopy(raw)
    assert _as_written(model, mine, got) == as_written_before(model, before, records)
    assert orjson.dumps(mine) == orjson.dumps(before)  # documents replaced alike


def test_documents_as_the_store_writes_them_are_as_written_and_left_alone() -> None:
    staff = [
        Staff(employee_no="E1", name="Åse Kjær", department="D1", email="a@b.dk"),
        Staff(employee_no="E2", name="Bo", department="D1", start_date="2026-12-05"),
    ]
    raw = {str(i): s.model_dump(mode="json") for i, s in enumerate(staff, 1)}
    records = {s.key(): s for s in staff}
    assert _as_written(Staff, raw, records)
    raw["2"] = {**raw["2"], "department": " D1 "}
    assert not _as_written(Staff, raw, records)
    assert raw["2"]["department"] == "D1"


_valid_staff = st.builds(
    lambda no, name, email, department, role, agent, day: Staff(
        employee_no=no, name=name, email=email, department=department, role=role,
        digital_agent=agent, start_date=day,
    ),
    st.from_regex(r"E[0-9]{1,3}", fullmatch=True), st.text("Åa bæ\x1f\u2028\"\\", min_size=1,
    max_size=6).map(str.strip).filter(bool), st.sampled_from([None, "a@b.dk", "ø@æ.dk"]),
    _code.map(str.strip), st.none() | _code.map(str.strip), st.booleans(),
    st.none() | st.dates(),
)  # fmt: skip


def loaded_the_old_way(table: RegisterTable, content: bytes):
    """What a load of a file not known valid gave: orjson's documents validated, then the
    as-written check on them (the hash recorded only when it holds)."""
    data = parse_json_object(table.path, content)
    raw = data.get(table.name, {})
    if not isinstance(raw, dict):
        raise CorruptFileError(table.path, f"table {table.name!r} is not an object")
    records = table._validate(raw)
    digest = content_hash(content) if _as_written(table.model, raw, records) else None
    return records, table.doc_ids, digest, data


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_table_file_validated_from_its_bytes_loads_as_through_its_documents(
    data: st.DataObject,
) -> None:
    """A file exactly as the store writes it is validated straight from its bytes: the same
    records, ids, hash recorded and documents held (parsed when needed) as through orjson's
    documents; any other file (spaces, a hand edit, damage) is read as before."""
    valid = [s.model_dump(mode="json") for s in data.draw(st.lists(_valid_staff, max_size=5))]
    docs = valid + data.draw(st.lists(_staff, max_size=1 if data.draw(st.booleans()) else 0))
    ids = data.draw(st.lists(_doc_ids, min_size=len(docs), max_size=len(docs), unique=True))
    file = {"staff": dict(zip(ids, docs, strict=True))}
    content = data.draw(
        st.sampled_from([orjson.dumps(file), json.dumps(file).encode(), b'{"staff": []}'])
    )
    cut = data.draw(st.sampled_from([len(content), len(content) - 1, 1]))
    content = content[:cut]
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "staff.json"
        path.write_bytes(content)
        table = RegisterTable(Staff, path)
        got = outcome(lambda: (table.load(), table.doc_ids, table.known_valid, table.storage.data))
        expected = outcome(lambda: loaded_the_old_way(RegisterTable(Staff, path), content))

    if isinstance(expected[0], str):
        assert got == expected
        return
    records, ids_by_key, digest, held = got
    assert [(k, repr(r), r.model_fields_set) for k, r in records.items()] == [
        (k, repr(r), r.model_fields_set) for k, r in expected[0].items()
    ]
    assert (ids_by_key, digest) == expected[1:3]
    assert orjson.dumps(held) == orjson.dumps(expected[3])


def test_pydantic_and_orjson_write_every_character_alike() -> None:
    """What lets bytes equal to pydantic's JSON of the records stand for orjson's documents."""
    text = "".join(map(chr, [*range(0xD800), *range(0xE000, 0x110000)]))
    assert to_json(text) == orjson.dumps(text)
    numbers = [0, -1, 20, 2**63 - 1, -(2**63), True, False, None]
    assert to_json(numbers) == orjson.dumps(numbers)
