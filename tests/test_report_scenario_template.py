"""``orbitsim scenario template``: every field the reader takes, defaults from the reader itself."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from orbitsim import scenario as sc
from orbitsim import scenario_template as st
from orbitsim.cli import main as cli_main
from orbitsim.errors import ParseError

ROOT = Path(__file__).resolve().parents[1]


def test_template_parses_as_printed_and_with_every_default_uncommented(capsys):
    assert cli_main(["scenario", "template"]) == 0
    text = capsys.readouterr().out
    assert text == st.template()
    plain = sc.loads(text)
    assert plain.target.mass_kg == 1000.0 and plain.altitude_km == 850.0
    filled = sc.loads(re.sub(r"(?m)^# (\w+ = )", r"\1", text))  # uncomment every default
    assert filled.to_dict() == plain.to_dict()
    # the defaults shown are the reader's: a minimal file gives the same settings
    assert plain.min_size_m == sc.Scenario.__dataclass_fields__["min_size_m"].default
    assert plain.screening_days == sc.Scenario.__dataclass_fields__["screening_days"].default


def test_alternatives_parse_when_swapped_in():
    text = st.template()
    alt = text.replace("altitude_km = 850.0", "## altitude_km = 850.0")
    alt = alt.replace("## perigee_km = 840.0", "perigee_km = 840.0").replace("## apogee_km = 860.0",
                                                                          "apogee_km = 860.0")
    alt = alt.replace("# seeds = [1]", "## seeds = [1]").replace("## n_seeds = 4", "n_seeds = 4")
    s = sc.loads(alt)
    assert (s.target.orbit.perigee_km, s.target.orbit.apogee_km) == (840.0, 860.0)
    assert s.seeds == (1, 2, 3, 4)


def _reader_keys(table: str) -> set[str]:
    """The fields the scenario reader accepts in a table, from its own 'unknown field' error."""
    doc = {"epoch": "2026-01-01T00:00:00Z", "target": {"mass_kg": 1.0, "orbit": {"altitude_km": 500.0,
           "inclination_deg": 50.0}}, "interceptor": {"mass_kg": 1.0, "closing_speed_km_s": 1.0}}
    node = doc
    for part in [p for p in table.split(".") if p]:
        node = node.setdefault(part, {})
    node["zz_unknown"] = 1
    with pytest.raises(ParseError) as err:
        sc.from_dict(doc)
    listed = re.search(r"expected one of (.*)\)", str(err.value)).group(1)
    return {k.strip() for k in listed.split(",")}


@pytest.mark.parametrize("table", st.TABLES)
def test_template_lists_exactly_the_fields_the_reader_takes(table):
    have = {f.key for f in st.FIELDS if f.table == table}
    want = _reader_keys(table) - {"target", "interceptor", "breakup", "uncertainty", "simulation", "taxonomy",
                                  "sources", "orbit"}
    assert have == want


def test_allowed_values_are_the_readers():
    by_key = {(f.table, f.key): f for f in st.FIELDS}
    assert by_key[("interceptor", "geometry")].allowed == sc.GEOMETRIES
    assert by_key[("target", "object_type")].allowed == sc.OBJECT_TYPES
    for value in sc.GEOMETRIES:
        assert f"{value}" in st.template()


def test_docs_scenario_md_is_generated():
    assert (ROOT / "docs" / "scenario.md").read_text() == st.fields_markdown(), \
        "regenerate: python -m orbitsim.scenario_template > docs/scenario.md"
