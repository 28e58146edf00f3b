"""The gaps of the whole organisation from Kapabel's CSV exports, in plain Python dicts.

    python benchmarks/gaps_from_csv.py EXPORTS_FOLDER AS_OF

The yardstick of issue 14: what the simplest script a person might write (csv module, dicts, no
Kapabel import) costs for `kapabel report gaps --format json`'s figures. EXPORTS_FOLDER holds
`kapabel export` of departments, staff, requirements, assessments and training. Prints JSON:
the pairs required and met, and every gap as [employee_no, competency, required, current,
gap, training_planned]. The rules are those of docs/rules.md: a requirement applies to active
staff in its department and below (of its role, if it names one), the highest applies; the
current level is the latest valid assessment on AS_OF (same date: test > manager > training >
self, then the one recorded last); not assessed counts as 0; a gap is covered by an open plan
(planned, in progress) whose target reaches the requirement.
"""

import csv
import json
import sys

PRECEDENCE = {"test": 3, "manager": 2, "training": 1, "self": 0}
OPEN = {"planned", "in_progress"}


def rows(folder, kind):
    with open(f"{folder}/{kind}.csv", encoding="utf-8", newline="") as file:
        yield from csv.DictReader(file)


def main(folder, as_of):
    parent = {d["code"]: d["parent_code"] for d in rows(folder, "departments")}
    staff = {s["employee_no"]: s for s in rows(folder, "staff") if s["active"] == "yes"}

    by_department = {}
    for r in rows(folder, "requirements"):
        by_department.setdefault(r["department_code"], []).append(r)

    current = {}  # (employee, competency) -> (rank, level)
    for order, a in enumerate(rows(folder, "assessments")):
        if a["date"] > as_of or (a["valid_until"] and a["valid_until"] < as_of):
            continue
        key = (a["employee_no"], a["competency"])
        rank = (a["date"], PRECEDENCE.get(a["source"], -1), order)
        if key not in current or rank > current[key][0]:
            current[key] = (rank, int(a["level"]))

    planned = {}  # (employee, competency) -> highest open target
    for p in rows(folder, "training"):
        if p["status"] in OPEN:
            key = (p["employee_no"], p["competency"])
            planned[key] = max(planned.get(key, 0), int(p["target_level"]))

    gaps, required_pairs, met = [], 0, 0
    for number, person in staff.items():
        required = {}
        department = person["department_code"]
        while department:
            for r in by_department.get(department, ()):
                if (not r["role"] or r["role"] == person["role"]) and int(
                    r["level"]
                ) > required.get(r["competency"], 0):
                    required[r["competency"]] = int(r["level"])
            department = parent.get(department)
        for competency, level in required.items():
            required_pairs += 1
            found = current.get((number, competency))
            have = found[1] if found else None
            short = level - (have or 0)
            if short <= 0:
                met += 1
                continue
            covered = planned.get((number, competency), 0) >= level
            gaps.append([number, competency, level, have, short, covered])
    json.dump({"pairs_required": required_pairs, "pairs_met": met, "gaps": gaps}, sys.stdout)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
