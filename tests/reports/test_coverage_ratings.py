"""Coverage rules, digital agents, self versus others, stale and expiring ratings, experts and
two dates compared: the reports of issue 15 on hand-made data (docs/rules.md)."""

from __future__ import annotations

import pytest

from reports import ReportInputError, build_report
from tests.reports.factory import Builder, D

AS_OF = D(2026, 3, 31)


def three_levels() -> Builder:
    """ORG > SOC > SOC-A (and SOC-B, empty; KUL with one inactive person)."""
    b = Builder()
    b.department("ORG").department("SOC", "ORG").department("SOC-A", "SOC")
    b.department("SOC-B", "SOC").department("KUL", "ORG")
    b.staff("E1", "ORG").staff("E2", "SOC").staff("E3", "SOC-A").staff("E4", "SOC-A")
    b.staff("E5", "KUL", active=False)
    b.competency("C")
    for no, level in (("E1", 3), ("E2", 1), ("E3", 4), ("E4", 3)):
        b.assess(no, "C", level, D(2026, 1, 1), "manager")
    return b


def data(kind: str, b: Builder, **options) -> dict:
    return build_report(kind, b.ds, options.pop("as_of", AS_OF), **options).to_dict()


class TestCoverage:
    def test_each_evaluates_every_department_with_people_below_on_its_own_subtree(self) -> None:
        b = three_levels().coverage("ORG", "C", 3, 2, each=True)
        [rule] = data("coverage", b)["rules"]
        assert (rule["department"], rule["each"], rule["min_people"]) == ("ORG", True, 2)
        results = {r["department"]: (r["people_meeting"], r["shortfall"], r["met"])
                   for r in rule["results"]}  # fmt: skip
        # ORG counts E1, E3, E4; SOC counts E3, E4 (E2 is below 3); SOC-A counts E3, E4;
        # SOC-B and KUL have no active person in their subtree: not evaluated
        assert results == {"ORG": (3, 0, True), "SOC": (2, 0, True), "SOC-A": (2, 0, True)}

    def test_without_each_only_the_department_and_a_shortfall(self) -> None:
        b = three_levels().coverage("SOC", "C", 4, 3)
        [rule] = data("coverage", b)["rules"]
        assert rule["results"] == [
            {"department": "SOC", "people_meeting": 1, "shortfall": 2, "met": False}
        ]

    def test_an_expired_level_does_not_cover(self) -> None:
        b = three_levels().coverage("SOC-A", "C", 4, 1)
        b.assess("E4", "C", 5, D(2025, 1, 1), "test", valid_until=D(2026, 3, 30))
        [rule] = data("coverage", b)["rules"]
        assert rule["results"][0]["people_meeting"] == 1  # E3 only; E4's 5 lapsed the day before

    def test_department_scope_lists_only_rules_set_in_it_or_below(self) -> None:
        b = three_levels().coverage("ORG", "C", 1, 1).coverage("SOC-A", "C", 2, 1)
        got = data("coverage", b, department="SOC")["rules"]
        assert [r["department"] for r in got] == ["SOC-A"]

    def test_departments_without_an_agent_count_own_active_staff_only(self) -> None:
        b = three_levels()
        b.staff("E6", "SOC", agent=True, active=False)  # an inactive agent does not count
        b.staff("E7", "SOC-A", agent=True)  # an agent below SOC does not count for SOC
        b.staff("E8", "SOC-B", agent=True, active=False)  # SOC-B: nobody active of its own
        b.staff("E9", "ORG", agent=True)
        assert data("coverage", b)["departments_without_agent"] == ["SOC"]


class TestRatings:
    def test_a_disagreement_of_exactly_the_threshold(self) -> None:
        b = three_levels()
        b.assess("E3", "C", 2, D(2026, 2, 1), "self")  # manager says 4: 2 apart
        b.assess("E4", "C", 4, D(2026, 2, 1), "self")  # manager says 3: 1 apart
        got = data("ratings", b)
        assert got["disagreements"] == [
            {"employee_no": "E3", "competency": "C", "self_level": 2, "self_date": "2026-02-01",
             "other_level": 4, "other_source": "manager", "other_date": "2026-01-01"}
        ]  # fmt: skip
        assert data("ratings", b, threshold=3)["disagreements"] == []
        assert len(data("ratings", b, threshold=1)["disagreements"]) == 2

    def test_same_date_test_outranks_manager(self) -> None:
        b = three_levels()
        b.assess("E2", "C", 5, D(2026, 2, 1), "self")
        b.assess("E2", "C", 5, D(2026, 3, 1), "test")
        b.assess("E2", "C", 1, D(2026, 3, 1), "manager")  # recorded last, but a test outranks
        assert data("ratings", b)["disagreements"] == []

    def test_inactive_staff_are_left_out(self) -> None:
        b = three_levels()
        b.assess("E5", "C", 5, D(2026, 2, 1), "self").assess("E5", "C", 1, D(2026, 2, 1), "test")
        assert data("ratings", b)["disagreements"] == []

    @pytest.mark.parametrize(("as_of", "stale"), [(D(2026, 3, 29), False), (D(2026, 3, 31), False)])
    def test_stale_boundary_at_a_month_end(self, as_of, stale) -> None:
        b = three_levels().require("C", 1, "ORG")
        b.assess("E1", "C", 3, D(2026, 2, 28), "manager")
        got = data("ratings", b, as_of=as_of, stale_months=1)["stale"]
        assert ("E1" in {s["employee_no"] for s in got}) is stale

    def test_stale_only_for_required_pairs_older_than_the_months(self) -> None:
        b = three_levels().require("C", 1, "SOC")  # E1 (ORG) is not required
        b.assess("E1", "C", 3, D(2020, 1, 1), "manager")  # older, but E1's current is 2026
        b.assess("E2", "C", 1, D(2024, 3, 31), "test")  # exactly 24 months: not stale
        b.assess("E3", "C", 4, D(2024, 3, 30), "test")  # one day more: stale
        b.ds.assessments = [r for r in b.ds.assessments if r.date.year != 2026 or r.staff == "E1"]
        got = data("ratings", b)["stale"]
        assert got == [{"employee_no": "E3", "competency": "C", "date": "2024-03-30"}]

    def test_expiring_on_the_last_included_day(self) -> None:
        b = three_levels().require("C", 1, "ORG")
        b.assess("E3", "C", 4, D(2026, 3, 1), "test", valid_until=D(2026, 5, 30))  # day 60
        b.assess("E4", "C", 4, D(2026, 3, 1), "test", valid_until=D(2026, 5, 31))  # day 61
        assert data("ratings", b)["expiring"] == [
            {"employee_no": "E3", "competency": "C", "valid_until": "2026-05-30"}
        ]
        assert len(data("ratings", b, within_days=61)["expiring"]) == 2


class TestExperts:
    def test_the_highest_level_per_department_or_a_minimum(self) -> None:
        b = three_levels()
        got = data("experts", b, competency="C")["experts"]
        assert [(e["department"], e["employee_no"], e["level"]) for e in got] == [
            ("ORG", "E1", 3), ("SOC", "E2", 1), ("SOC-A", "E3", 4)
        ]  # fmt: skip
        got = data("experts", b, competency="C", min_level=3, department="SOC")["experts"]
        assert [e["employee_no"] for e in got] == ["E3", "E4"]

    def test_needs_a_known_competency(self) -> None:
        with pytest.raises(ReportInputError, match="competency"):
            build_report("experts", three_levels().ds, AS_OF)
        with pytest.raises(ReportInputError, match="NOPE"):
            build_report("experts", three_levels().ds, AS_OF, competency="NOPE")


class TestCompare:
    def test_readiness_and_share_at_two_dates_and_the_change(self) -> None:
        b = three_levels().require("C", 3, "SOC")
        b.assess("E2", "C", 3, D(2026, 3, 1), "manager")  # E2 meets from March
        got = data("compare", b, from_date=D(2026, 2, 1), department="SOC")
        soc = got["departments"][0]
        assert (got["from"], got["to"], soc["code"]) == ("2026-02-01", "2026-03-31", "SOC")
        assert (soc["pairs_met_from"], soc["pairs_met_to"], soc["pairs_required_to"]) == (2, 3, 3)
        assert soc["readiness_change"] == pytest.approx(100 / 3)
        assert soc["competencies"][0]["change"] == pytest.approx(100 / 3)
        assert [d["code"] for d in got["departments"]] == ["SOC", "SOC-A", "SOC-B"]
        assert "current staff" in got["note"]

    def test_from_after_to_is_refused(self) -> None:
        with pytest.raises(ReportInputError, match="after"):
            build_report("compare", three_levels().ds, AS_OF, from_date=D(2026, 4, 1))


def test_department_coverage_and_agent_status_match_the_report() -> None:
    from reports import analyse
    from reports.coverage import department_coverage, lacks_agent

    b = three_levels().coverage("ORG", "C", 3, 2, each=True).coverage("SOC-A", "C", 4, 2)
    analysis = analyse(b.ds, AS_OF)
    got = [(r.department, r.level, res.people_meeting, res.met)
           for r, res in department_coverage(analysis, "SOC-A")]  # fmt: skip
    assert got == [("ORG", 3, 2, True), ("SOC-A", 4, 1, False)]
    assert department_coverage(analysis, "SOC-B") == []  # nobody there: each skips it
    assert lacks_agent(analysis, "SOC") and not lacks_agent(analysis, "SOC-B")
