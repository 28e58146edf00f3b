"""Importing files as HR systems and Danish Excel write them, and refusing bad ones whole."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from store.importing import import_file
from store.repository import FolderRepository
from tests.iohelpers import EMPLOYEE_NO, folder_hashes, populate


@pytest.fixture
def db(repo: FolderRepository) -> FolderRepository:
    populate(repo)
    return repo


def write(tmp_path: Path, data: bytes | str, name: str = "in.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def test_departments_windows_1252_semicolons_child_before_parent(db, tmp_path) -> None:
    text = 'Kode;Navn;Overordnet\r\n\r\nD30;Dagtilbud Ærø;D3\r\nD3;"Børn; unge";\r\n\r\n'
    plan = import_file(db, "departments", write(tmp_path, text, encoding="cp1252"))
    assert plan.problems == []
    assert plan.summary() == "departments: 2 added, 0 updated, 0 unchanged"
    reopened = FolderRepository.open(db.path)
    assert reopened.ds.departments["D30"].name == "Dagtilbud Ærø"
    assert reopened.ds.departments["D30"].parent_code == "D3"
    assert reopened.ds.departments["D3"].name == "Børn; unge"


def test_roles_with_bom_and_tabs(db, tmp_path) -> None:
    data = "\ufeffkode\tnavn\nR1\tSagsbehandler\nR2\tPædagog\n".encode()
    plan = import_file(db, "roles", write(tmp_path, data))
    assert plan.summary() == "roles: 1 added, 0 updated, 1 unchanged"
    assert FolderRepository.open(db.path).ds.roles["R2"].name == "Pædagog"


def test_excel_unicode_text_utf16_with_tabs(db, tmp_path) -> None:
    data = "kode\tnavn\r\nR8\tJordemoder Åse\r\n".encode("utf-16")
    plan = import_file(db, "roles", write(tmp_path, data))
    assert plan.summary() == "roles: 1 added, 0 updated, 0 unchanged"
    assert FolderRepository.open(db.path).ds.roles["R8"].name == "Jordemoder Åse"


def test_staff_with_danish_headers_booleans_role_names_and_an_update(db, tmp_path) -> None:
    text = (
        "Medarbejdernr;Navn;Afdeling;E-mail;Stilling;Digital agent;Aktiv\n"
        "E2;Bo Hansen;D2;bo@kommune.dk;sagsbehandler;nej;ja\n"
        'E3;"Hansen, Åse";D1;;;x;\n'
    )
    plan = import_file(db, "staff", write(tmp_path, text))
    assert plan.summary() == "staff: 1 added, 1 updated, 0 unchanged, 0 deactivated"
    staff = FolderRepository.open(db.path).ds.staff
    assert (staff["E2"].department, staff["E2"].role, staff["E2"].digital_agent) == (
        "D2",
        "R1",
        False,
    )
    assert (staff["E3"].name, staff["E3"].digital_agent, staff["E3"].active) == (
        "Hansen, Åse",
        True,
        True,
    )
    assert staff[EMPLOYEE_NO].active  # not in the file, but no --sync


def test_staff_sync_deactivates_people_missing_from_the_file(db, tmp_path) -> None:
    path = write(tmp_path, "employee_no,name,department_code\nE2,Bo Hansen,D1\n")
    plan = import_file(db, "staff", path, sync=True)
    assert plan.summary() == "staff: 0 added, 0 updated, 1 unchanged, 1 deactivated"
    staff = FolderRepository.open(db.path).ds.staff
    assert staff[EMPLOYEE_NO].active is False and staff["E2"].active is True


def test_staff_sync_makes_someone_in_the_file_active_again(db, tmp_path) -> None:
    only_e2 = write(tmp_path, "employee_no,name,department_code\nE2,Bo Hansen,D1\n")
    import_file(db, "staff", only_e2, sync=True)  # E4711 is on leave: not in HR's file
    both = tmp_path / "both.csv"
    both.write_text(
        f"employee_no,name,department_code\nE2,Bo Hansen,D1\n{EMPLOYEE_NO},Back Again,D2\n"
    )

    partial = import_file(db, "staff", both)  # without --sync a file may list just some people
    assert FolderRepository.open(db.path).ds.staff[EMPLOYEE_NO].active is False
    assert partial.summary() == "staff: 0 added, 1 updated, 1 unchanged, 0 deactivated"

    plan = import_file(db, "staff", both, sync=True)  # the whole staff: everyone in it is active
    assert plan.summary() == "staff: 0 added, 1 updated, 1 unchanged, 0 deactivated"
    assert FolderRepository.open(db.path).ds.staff[EMPLOYEE_NO].active is True


def test_competencies_csv_and_a_framework_json(db, tmp_path) -> None:
    csv_plan = import_file(
        db,
        "competencies",
        write(tmp_path, "framework,code,name,area\nRPA,RPA2,Bygger robotter,Udvikling\n"),
    )
    assert csv_plan.summary() == "competencies: 1 added, 0 updated, 0 unchanged"
    framework = (
        '{"code": "SIK", "name": "Informationssikkerhed", "scale": ['
        '{"level": 1, "label": "Kender"}, {"level": 2, "label": "Kan"}],'
        '"competencies": [{"code": "SIK1", "name": "Phishing", "area": "Adfærd"}]}'
    )
    plan = import_file(db, "competencies", write(tmp_path, framework, "sik.json"))
    assert plan.problems == []
    ds = FolderRepository.open(db.path).ds
    assert ds.frameworks["SIK"].max_level == 2 and ds.competencies["SIK1"].framework == "SIK"
    assert ds.competencies["RPA2"].area == "Udvikling"


def test_a_framework_file_that_shrinks_a_scale_in_use_is_refused_at_the_preview(
    db, tmp_path
) -> None:
    text = '{"code": "RPA", "name": "Robot operation", "scale": [{"level": 1, "label": "Ny"}]}'
    path = write(tmp_path, text, "rpa.json")
    before = folder_hashes(db.path)
    preview = import_file(db, "competencies", path, dry_run=True)  # the preview says so too
    assert preview.problems == [
        f"{path}:1: scale: levels above 1 are still used by 1 requirement, 1 coverage rule, 1 training plan, 1 robot"
    ]
    assert import_file(db, "competencies", path).problems == preview.problems
    assert folder_hashes(db.path) == before


def test_a_competency_cannot_move_into_a_framework_whose_scale_is_too_small(db, tmp_path) -> None:
    from store.errors import ValidationProblem

    text = (
        '{"code": "SIK", "name": "Sikkerhed", "scale": [{"level": 1, "label": "Kender"},'
        '{"level": 2, "label": "Kan"}], "competencies": [{"code": "DC1.1", "name": "Søgning"}]}'
    )
    plan = import_file(db, "competencies", write(tmp_path, text, "sik.json"))
    assert [p.split(": ", 1)[-1] for p in plan.problems] == [
        "competencies[1]: framework: SIK's scale goes up to 2, but DC1.1 is used at higher "
        "levels by 1 requirement, 1 coverage rule, 1 training plan, 1 robot, 2 assessments"
    ]
    moved = db.ds.competencies["DC1.1"].model_copy(update={"framework": "RPA"})
    with pytest.raises(ValidationProblem):  # RPA's scale is 1-3; DC1.1 is required at 4
        db.put(moved)
    assert FolderRepository.open(db.path).ds.competencies["DC1.1"].framework == "DIGCOMP"


def test_requirements_with_danish_dates_and_priorities(db, tmp_path) -> None:
    text = "afdeling;kompetence;niveau;rolle;prioritet;frist\nD2;RPA1;3;;bør;31-12-2027\n"
    plan = import_file(db, "requirements", write(tmp_path, text))
    assert plan.summary() == "requirements: 1 added, 0 updated, 0 unchanged"
    requirement = FolderRepository.open(db.path).ds.requirements["RPA1|D2|"]
    assert (requirement.level, requirement.priority, requirement.due) == (
        3,
        "should",
        dt.date(2027, 12, 31),
    )


def test_assessments_quoted_newlines_and_a_correction_keeps_the_history(db, tmp_path) -> None:
    text = (
        "medarbejdernr;kompetence;niveau;dato;kilde;note\n"
        f'{EMPLOYEE_NO};RPA1;2;05.01.2026;selv;"rettet; efter samtale\nmed leder"\n'
        "E2;RPA1;1;2026-03-01;;\n"
        f"{EMPLOYEE_NO};DC1.1;3;01-02-2026;leder;\n"
    )
    plan = import_file(db, "assessments", write(tmp_path, text))
    # The second row adds; the first corrects; the third leaves assessor/valid_until alone.
    assert plan.summary() == "assessments: 1 added, 1 updated, 1 unchanged"
    rows = [r for r in FolderRepository.open(db.path).ds.assessments if r.competency == "RPA1"]
    assert [(r.staff, r.level, r.note) for r in rows] == [
        (EMPLOYEE_NO, 1, "=1+1"),
        (EMPLOYEE_NO, 2, "rettet; efter samtale\nmed leder"),
        ("E2", 1, ""),
    ]


def test_training_plans_match_on_employee_competency_and_due(db, tmp_path) -> None:
    text = (
        "employee_no,competency,target_level,due,status\n"
        f"{EMPLOYEE_NO},RPA1,3,01.03.2027,i gang\n"
        "E2,RPA1,2,,\n"
    )
    plan = import_file(db, "training", write(tmp_path, text))
    assert plan.summary() == "training: 1 added, 1 updated, 0 unchanged"
    plans = FolderRepository.open(db.path).ds.training_plans
    mine = [p for p in plans.values() if p.staff == EMPLOYEE_NO]
    assert [(p.id, p.target_level, p.status) for p in mine] == [("TP-000001", 3, "in_progress")]
    assert any(
        p.staff == "E2" and p.competency == "RPA1" and p.id == "TP-000003" for p in plans.values()
    )


def test_an_empty_plan_id_column_updates_the_matching_plan_instead_of_copying_it(
    db, tmp_path
) -> None:
    """The export's header with the plan_id left empty (as its notes say for a new plan): a
    row matching a plan on employee, competency and due was reported 'updated' but made a
    second plan beside the old one."""
    text = f"plan_id,employee_no,competency,target_level,due\n,{EMPLOYEE_NO},RPA1,3,2027-03-01\n"
    plan = import_file(db, "training", write(tmp_path, text))
    assert plan.summary() == "training: 0 added, 1 updated, 0 unchanged"
    plans = FolderRepository.open(db.path).ds.training_plans
    mine = [p for p in plans.values() if p.staff == EMPLOYEE_NO]
    assert [(p.id, p.target_level) for p in mine] == [("TP-000001", 3)]


def test_robot_benefits_with_decimal_commas(db, tmp_path) -> None:
    text = 'robot;måned;timer_sparet;kørsler;fejlede_kørsler\nROB1;2026-01;"12,5";40;0\nROB1;02.2026;7;10;1\n'
    plan = import_file(db, "robot-benefits", write(tmp_path, text))
    assert plan.summary() == "robot-benefits: 1 added, 0 updated, 1 unchanged"
    benefit = FolderRepository.open(db.path).ds.robot_benefits["ROB1|2026-02"]
    assert (benefit.hours_saved, benefit.runs, benefit.failed_runs) == (7.0, 10, 1)


def test_the_audit_gets_one_entry_per_changed_record(db, tmp_path) -> None:
    before = len(db.audit_entries())
    import_file(db, "roles", write(tmp_path, "code,name\nR1,Sagsbehandler\nR2,A\nR3,B\n"))
    new = [(e.action, e.entity, e.key) for e in db.audit_entries()[before:]]
    assert new == [("create", "roles", "R2"), ("create", "roles", "R3")]


def test_an_import_makes_a_backup_first_and_a_dry_run_writes_nothing(db, tmp_path) -> None:
    path = write(tmp_path, "code,name\nR9,Ny\n")
    before = folder_hashes(db.path)
    plan = import_file(db, "roles", path, dry_run=True)
    assert plan.summary() == "roles: 1 added, 0 updated, 0 unchanged"
    assert folder_hashes(db.path) == before
    import_file(db, "roles", path)
    assert len(list((db.path / "backups").iterdir())) == 1


BAD_FILES = [
    (
        "staff",
        b"nummer;navn;afdeling\nE9;X;D1\n",
        [
            "{f}:1: header: missing column 'employee_no' (or medarbejdernr, medarbejdernummer, "
            "medarb_nr, lønnr, employee)",
            "{f}:1: header: the columns are: employee_no, name, department_code, email, role, "
            "digital_agent, active",
        ],
    ),
    (
        "staff",
        b"employee_no,name,department_code\nE9,X,NOPE\n\nE10,Y,D1\n",
        ["{f}:2: department_code: unknown department 'NOPE'"],
    ),
    (
        "assessments",
        f"employee_no;competency;level;date\n{EMPLOYEE_NO};RPA1;4;2026-05-01\n"
        f"{EMPLOYEE_NO};RPA1;x;2026-05-02\n{EMPLOYEE_NO};RPA1;1;31.02.2026\n".encode(),
        [
            "{f}:2: level: 4 is above RPA's highest level, 3 (RPA1)",
            "{f}:3: level: 'x' is not a whole number",
            "{f}:4: date: '31.02.2026' is not a real date",
        ],
    ),
    (
        "departments",
        b"code,name\nD7,A\nD8,B\nD7,C\n",
        ["{f}:4: code: duplicate key 'D7' (first on line 2)"],
    ),
    ("roles", bytes(range(256)) * 4, ["{f}:1: file: not a text file (it holds binary data)"]),
    ("roles", b"", ["{f}:1: file: the file is empty"]),
    ("roles", b"\r\n \r\n", ["{f}:1: file: the file is empty"]),
    (
        "departments",
        b"code,name,parent_code\nD5,A,D6\nD6,B,D5\n",
        [
            "{f}:2: parent_code: 'D6' would make a loop in the tree",
            "{f}:3: parent_code: 'D5' would make a loop in the tree",
        ],
    ),
    (
        "robot-benefits",
        b"robot,month,hours_saved,runs,failed_runs\nROB1,2026-13,5,1,2\nROB9,2026-01,5,2,1\n",
        [
            "{f}:2: month: '2026-13' is not a month (YYYY-MM)",
            "{f}:2: failed_runs: cannot exceed runs",  # a bad month hides nothing else
            "{f}:3: robot: unknown robot 'ROB9'",
        ],
    ),
]


@pytest.mark.parametrize(("kind", "data", "expected"), BAD_FILES)
def test_bad_files_list_every_problem_and_change_nothing(
    db, tmp_path, kind, data, expected
) -> None:
    path = write(tmp_path, data)
    before = folder_hashes(db.path)
    plan = import_file(db, kind, path)
    assert plan.problems == [line.format(f=path) for line in expected]
    assert folder_hashes(db.path) == before


def test_every_problem_of_every_row_is_listed_in_the_projects_words(db, tmp_path) -> None:
    text = (
        "employee_no;competency;level;date;source;valid_until\n"
        f"{EMPLOYEE_NO};DC1.1;99;2026-13-45;;\n"  # a bad date must not hide level 99
        "E404;DC1.1;x;2026-05-01;boss;\n"  # three cells wrong at once
        f"{EMPLOYEE_NO};DC1.1;-1;2026-05-01;manager;2026-04-01\n"  # below 0, and a rule
        f"{EMPLOYEE_NO};DC1.1;25;2026-05-02;;\n"  # above the models' bound (20), alone
    )
    path = write(tmp_path, text)
    before = folder_hashes(db.path)
    plan = import_file(db, "assessments", path)
    assert plan.problems == [
        f"{path}:2: level: 99 is above DIGCOMP's highest level, 8 (DC1.1)",
        f"{path}:2: date: '2026-13-45' is not a real date",
        f"{path}:3: employee_no: unknown employee 'E404'",
        f"{path}:3: level: 'x' is not a whole number",
        f"{path}:3: source: 'boss' is not one of self, manager, test, training",
        f"{path}:4: level: -1 is below the lowest level, 0 = none (DC1.1)",
        f"{path}:4: valid_until: must be on or after the assessment date",
        f"{path}:5: level: 25 is above DIGCOMP's highest level, 8 (DC1.1)",
    ]
    assert folder_hashes(db.path) == before


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        (
            "robot-benefits",
            "robot,month,hours_saved,runs,failed_runs\nROB1,2026-13,-5,1,2\n",
            [
                "month: '2026-13' is not a month (YYYY-MM)",
                "hours_saved: -5 is below the lowest allowed, 0",
                "failed_runs: cannot exceed runs",
            ],
        ),
        (
            "training",
            "employee_no,competency,target_level,status,completed\nE2,DC1.1,30,bogus,2026-01-01\n",
            [  # the completed date is not judged against a status that cannot be read
                "target_level: 30 is above DIGCOMP's highest level, 8 (DC1.1)",
                "status: 'bogus' is not one of planned, in_progress, completed, cancelled",
            ],
        ),
        (
            "requirements",
            "department_code,competency,level,priority,due\nNOPE,RPA1,0,maybe,31.02.2027\n",
            [
                "department_code: unknown department 'NOPE'",
                "level: 0 is below the lowest level, 1 (RPA1)",
                "priority: 'maybe' is not one of must, should",
                "due: '31.02.2027' is not a real date",
            ],
        ),
    ],
)
def test_a_row_with_several_problems_names_each_never_in_pydantics_words(
    db, tmp_path, kind, text, expected
) -> None:
    path = write(tmp_path, text)
    plan = import_file(db, kind, path)
    assert plan.problems == [f"{path}:2: {problem}" for problem in expected]
    assert not any("Input should" in problem for problem in plan.problems)


def test_a_missing_file_is_a_problem_not_a_traceback(db, tmp_path) -> None:
    plan = import_file(db, "roles", tmp_path / "nope.csv")
    assert plan.problems == [f"{tmp_path / 'nope.csv'}: cannot be read: No such file or directory"]


def test_a_change_made_while_the_import_waits_is_planned_again_not_overwritten(
    db, tmp_path, monkeypatch
) -> None:
    """Another program adds the department between the plan and the write (here: while the
    backup is made): the import plans again on what is there, and counts an update."""
    from store import open_store
    from store.models import Department

    other = open_store(db.path, user="someone-else")

    def meanwhile(repo, **_options):
        other.put(Department(code="D77", name="Old name"))

    monkeypatch.setattr("store.backup.make_backup", meanwhile)
    plan = import_file(db, "departments", write(tmp_path, "code,name\nD77,New name\n"))
    assert plan.problems == []
    assert plan.summary() == "departments: 0 added, 1 updated, 0 unchanged"
    assert FolderRepository.open(db.path).ds.departments["D77"].name == "New name"
