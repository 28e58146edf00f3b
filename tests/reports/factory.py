"""Small hand-made datasets for the rule tests: build exactly the case a test needs."""

from __future__ import annotations

import datetime as dt

from store.dataset import AssessmentRow, Dataset
from store.models import (
    Competency,
    CoverageRule,
    Department,
    Framework,
    Requirement,
    Robot,
    RobotBenefit,
    Role,
    ScaleLevel,
    Staff,
    TrainingPlan,
)

D = dt.date


def row(
    staff: str,
    competency: str,
    level: int,
    date: dt.date,
    source: str = "self",
    valid_until: dt.date | None = None,
    seq: int = 0,
) -> AssessmentRow:
    return AssessmentRow(staff, competency, level, date, source, None, valid_until, "", seq)


class Builder:
    """Fluent builder of a Dataset; assessments get `seq` in the order they are added."""

    def __init__(self) -> None:
        self.ds = Dataset()
        scale = [ScaleLevel(level=i, label=f"L{i}") for i in range(1, 9)]
        self.ds.frameworks["F"] = Framework(code="F", name="Test framework", scale=scale)

    def competency(self, code: str, name: str | None = None) -> Builder:
        self.ds.competencies[code] = Competency(code=code, framework="F", name=name or code)
        return self

    def department(self, code: str, parent: str | None = None, name: str | None = None) -> Builder:
        self.ds.departments[code] = Department(code=code, name=name or code, parent_code=parent)
        return self

    def role(self, code: str) -> Builder:
        self.ds.roles[code] = Role(code=code, name=code)
        return self

    def staff(
        self,
        no: str,
        department: str,
        role: str | None = None,
        active: bool = True,
        name: str | None = None,
        agent: bool = False,
    ) -> Builder:
        if role and role not in self.ds.roles:
            self.role(role)
        self.ds.staff[no] = Staff(
            employee_no=no, name=name or f"Person {no}", department=department, role=role,
            active=active, digital_agent=agent,
        )  # fmt: skip
        return self

    def require(
        self,
        competency: str,
        level: int,
        department: str,
        role: str | None = None,
        theme: str | None = None,
    ) -> Builder:
        if competency not in self.ds.competencies:
            self.competency(competency)
        requirement = Requirement(
            competency=competency, level=level, department=department, role=role, theme=theme
        )
        self.ds.requirements[requirement.key()] = requirement
        return self

    def coverage(
        self, department: str, competency: str, level: int, min_people: int, each: bool = False
    ) -> Builder:
        if competency not in self.ds.competencies:
            self.competency(competency)
        rule = CoverageRule(
            department=department, competency=competency, level=level, min_people=min_people,
            each=each,
        )  # fmt: skip
        self.ds.coverage_rules[rule.key()] = rule
        return self

    def assess(
        self,
        staff: str,
        competency: str,
        level: int,
        date: dt.date,
        source: str = "self",
        valid_until: dt.date | None = None,
    ) -> Builder:
        seq = len(self.ds.assessments)
        self.ds.assessments.append(row(staff, competency, level, date, source, valid_until, seq))
        return self

    def plan(
        self, staff: str, competency: str, target: int, status: str = "planned", **extra
    ) -> Builder:
        plan_id = f"TP-{len(self.ds.training_plans) + 1:06d}"
        self.ds.training_plans[plan_id] = TrainingPlan(
            id=plan_id, staff=staff, competency=competency, target_level=target, status=status,
            **extra,
        )  # fmt: skip
        return self

    def robot(self, code: str, department: str, **fields) -> Builder:
        self.ds.robots[code] = Robot(code=code, name=fields.pop("name", code), department=department,
                                     **fields)  # fmt: skip
        return self

    def benefit(
        self, robot: str, month: str, hours: float, runs: int = 0, failed: int = 0
    ) -> Builder:
        benefit = RobotBenefit(
            robot=robot, month=month, hours_saved=hours, runs=runs, failed_runs=failed
        )
        self.ds.robot_benefits[benefit.key()] = benefit
        return self
