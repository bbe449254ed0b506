"""Every field of a scenario TOML, with unit, default and allowed values: the template and its docs.

:data:`FIELDS` lists the fields :func:`orbitsim.scenario.from_dict` reads. Defaults and allowed
values are not copied: they are taken from the scenario module itself (the dataclass defaults of
:class:`~orbitsim.scenario.Scenario`, :class:`~orbitsim.scenario.Target`, ...; ``GEOMETRIES``,
``OBJECT_TYPES``), so the template cannot drift from the reader; the tests check that the reader
accepts exactly these fields and that uncommenting every default changes nothing.

:func:`template` is what ``orbitsim scenario template`` prints; :func:`fields_markdown` is
``docs/scenario.md`` (``python -m orbitsim.scenario_template > docs/scenario.md``).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from . import scenario as sc


def _default(cls, name):
    for f in dataclasses.fields(cls):
        if f.name == name:
            if f.default is not dataclasses.MISSING:
                return f.default
            if f.default_factory is not dataclasses.MISSING:  # pragma: no cover - none used today
                return f.default_factory()
    raise KeyError(f"{cls.__name__}.{name}")


class Computed(str):
    """A default the reader computes (said in words, not a TOML value)."""


@dataclass(frozen=True)
class Field:
    """One scenario field: ``table`` ("" for top level), ``key``, ``unit``, ``kind``, ``default``
    (None: required, or a sentence when the default is computed), ``allowed`` values, ``help``,
    ``example`` (TOML text), ``alternative_to`` (a key this one replaces)."""

    table: str
    key: str
    unit: str
    kind: str
    help: str
    example: str
    default: object = None
    required: bool = False
    allowed: tuple = ()
    alternative_to: str = ""


def _toml(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, str):
        return f'"{v}"'
    if isinstance(v, tuple):
        return "[" + ", ".join(_toml(x) for x in v) + "]"
    return repr(v)


S, T, I, X = sc.Scenario, sc.Target, sc.Interceptor, sc.Taxonomy

#: The fields, in the order of the template.
FIELDS = (
    Field("", "name", "", "text", "short identifier, file-name safe", '"my-test"',
          default=Computed("the file's name without .toml")),
    Field("", "title", "", "text", "free text shown in reports", '"Hypothetical test at 850 km"',
          default=_default(S, "title")),
    Field("", "epoch", "UTC", "ISO 8601 time", "time of the intercept", '"2027-03-01T06:00:00Z"', required=True),
    Field("", "hypothetical", "", "true/false", "false only for a real test modelled as it happened", "true",
          default=_default(S, "hypothetical")),
    Field("target", "name", "", "text", "name of the satellite destroyed", '"target"',
          default=Computed("NORAD <norad_id>, else \"target\"")),
    Field("target", "norad_id", "", "integer", "take the orbit from the embedded pre-event element set of "
          "this catalog number (the four real targets)", "39227", default=Computed("none: the orbit table gives the orbit")),
    Field("target", "mass_kg", "kg", "number > 0", "mass of the satellite destroyed", "1000.0", required=True),
    Field("target", "size_m", "m", "number > 0", "characteristic size", "2.0",
          default=Computed("from the SBM mass-size relation")),
    Field("target", "object_type", "", "text", "SATCAT object type", '"PAYLOAD"',
          default=_default(T, "object_type"), allowed=sc.OBJECT_TYPES),
    Field("target", "owner", "", "text", "SATCAT owner code of the target (e.g. US, PRC, CIS, IND)", '"CIS"',
          default=_default(T, "owner")),
    Field("target.orbit", "altitude_km", "km", "number >= 100", "circular orbit at this altitude above the "
          "WGS72 equatorial radius (or perigee_km + apogee_km, or tle; or no [target.orbit] and "
          "target.norad_id)", "850.0", required=True),
    Field("target.orbit", "perigee_km", "km", "number >= 100", "perigee altitude (with apogee_km)", "840.0",
          alternative_to="altitude_km"),
    Field("target.orbit", "apogee_km", "km", "number >= perigee", "apogee altitude (with perigee_km)", "860.0",
          alternative_to="altitude_km"),
    Field("target.orbit", "tle", "", "two strings", "a two-line element set (line 1, line 2)",
          '["1 ...", "2 ..."]', alternative_to="altitude_km"),
    Field("target.orbit", "inclination_deg", "deg", "0..180", "inclination", "82.6", required=True),
    Field("target.orbit", "raan_deg", "deg", "number", "right ascension of the ascending node", "0.0",
          default=_default(sc.Orbit, "raan_deg")),
    Field("target.orbit", "arg_perigee_deg", "deg", "number", "argument of perigee", "0.0",
          default=_default(sc.Orbit, "arg_perigee_deg")),
    Field("target.orbit", "mean_anomaly_deg", "deg", "number", "mean anomaly at the epoch", "0.0",
          default=_default(sc.Orbit, "mean_anomaly_deg")),
    Field("interceptor", "mass_kg", "kg", "number > 0", "mass of the kill vehicle", "30.0", required=True),
    Field("interceptor", "closing_speed_km_s", "km/s", "number > 0", "relative speed at impact", "7.0",
          required=True),
    Field("interceptor", "geometry", "", "text", "how the interceptor meets the target", '"direct-ascent"',
          default=_default(I, "geometry"), allowed=sc.GEOMETRIES),
    Field("interceptor", "relative_velocity_km_s", "km/s", "three numbers", "explicit velocity of the "
          "interceptor relative to the target in the target's radial / in-track / cross-track frame (its norm "
          "must agree with closing_speed_km_s when both are given)", "[2.0, -5.5, 0.0]",
          default=Computed("closing_speed_km_s along the geometry's direction")),
    Field("breakup", "mode", "", "text", "breakup model (docs/four-tests.md)", '"calibrated"',
          default=_default(sc.BreakupSettings, "mode"), allowed=sc.BREAKUP_MODES),
    Field("breakup", "forward_bias", "", "0..1", "sbm-momentum only: fraction (1 + b)/2 of the fragments "
          "ejected forward along the impact axis", "0.3", default=Computed("0 (isotropic)")),
    *(Field("uncertainty", k, "", "[low, high]", f"range the Monte Carlo members sample {k} from "
            "(uniformly; direction_cone_deg may be one number, the cone half-angle)",
            "[20.0, 100.0]" if k != "direction_cone_deg" else "20.0",
            default=Computed("none: the scenario's value for every member")) for k in sc.UNCERTAIN_INPUTS),
    Field("simulation", "min_size_m", "m", "number > 0", "smallest fragment simulated (smaller ones are "
          "counted by the size law, not propagated)", "0.1", default=_default(S, "min_size_m")),
    Field("simulation", "seeds", "", "list of integers >= 0", "breakup seeds, one Monte Carlo member each",
          "[1, 2, 3, 4]", default=_default(S, "seeds")),
    Field("simulation", "n_seeds", "", "integer >= 1", "instead of seeds: seeds 1..n", "4",
          alternative_to="seeds"),
    Field("simulation", "screening_days", "d", "number > 0", "conjunction screening window after the event",
          "7.0", default=_default(S, "screening_days")),
    Field("simulation", "screening_threshold_km", "km", "number > 0", "miss distance counted as a "
          "conjunction", "5.0", default=_default(S, "screening_threshold_km")),
    Field("simulation", "horizon_years", "yr", "number > 0", "long-term evolution; numbers beyond are not "
          "determined", "100.0", default=_default(S, "horizon_years")),
    Field("simulation", "screened_members", "", "integer >= 0", "the first N members are screened for "
          "conjunctions and get the collision risk (all members get persistence)", "2",
          default=_default(S, "screened_members")),
    Field("simulation", "targets", "", "text", "exposed assets", '"active"',
          default=Computed("active, or payloads for a catalog without activity information"),
          allowed=("active", "payloads", "all")),
    Field("taxonomy", "behaviour", "", "text", "behaviour, in the taxonomy's words",
          '"destructive direct-ascent ASAT test"',
          default=Computed("\"destructive direct-ascent ASAT test\" (\"destructive co-orbital ASAT test\" "
                           "for co-orbital)")),
    Field("taxonomy", "stated_intention", "", "text", "the intention the tester states",
          '"test"', default=_default(X, "stated_intention")),
    Field("taxonomy", "tester", "", "text", "SATCAT owner code of the testing state (may be left out when "
          "target.owner gives it; 'orbitsim catalog owners' lists the codes)", '"CIS"', required=True),
)

#: Tables in template order.
TABLES = ("", "target", "target.orbit", "interceptor", "breakup", "uncertainty", "simulation", "taxonomy")


def _default_text(f: Field) -> str:
    if f.required:
        return "required"
    if f.alternative_to:
        return f"instead of {f.alternative_to}"
    if isinstance(f.default, Computed):
        return str(f.default)
    return _toml(f.default)


def _is_plain_default(f: Field) -> bool:
    """The default is a TOML value (uncommenting ``key = default`` changes nothing)."""
    return not (f.required or f.alternative_to or isinstance(f.default, Computed) or f.default is None)


def template() -> str:
    """A commented scenario TOML with every field: required ones filled with an example, the
    others commented out at their default (``#``) or as an alternative (``##``)."""
    out = ["# orbitsim scenario: every field, its unit, default and allowed values.",
           "# Required fields are filled with an example; uncomment a '# key = value' line to change a",
           "# default (the value shown is the default); '## key = ...' lines are alternatives to another",
           "# field. Run it with: orbitsim simulate this-file.toml --out runs/this-test",
           "# Field reference: docs/scenario.md. Units are in the field names (_km, _kg, _deg, _m, _s)."]
    for table in TABLES:
        out.append("")
        if table:
            out.append(f"[{table}]")
        for f in (x for x in FIELDS if x.table == table):
            note = f"{f.help}; {f.kind}"
            if f.unit:
                note += f", {f.unit}"
            if f.allowed:
                note += "; one of " + ", ".join(f.allowed)
            note += f"; default: {_default_text(f)}"
            out.append(f"# {note}")
            if f.required:
                out.append(f"{f.key} = {f.example}")
            elif f.alternative_to:
                out.append(f"## {f.key} = {f.example}")
            elif _is_plain_default(f):
                out.append(f"# {f.key} = {_toml(f.default)}")
            else:
                out.append(f"## {f.key} = {f.example}")
    out += ["", "[sources]",
            "# where each number comes from: field = \"source\" (write \"assumed: ...\" for assumptions)",
            '## "target.mass_kg" = "assumed: typical 1,000 kg LEO payload"', ""]
    text = "\n".join(out)
    return text


def fields_markdown() -> str:
    """The text of ``docs/scenario.md``: one row per field."""
    lines = ["# Scenario files: every field", "",
             "Generated from `orbitsim/scenario_template.py` (`python -m orbitsim.scenario_template >",
             "docs/scenario.md`); defaults and allowed values come from `orbitsim/scenario.py` itself.",
             "`orbitsim scenario template` prints the same list as a commented TOML file to start from.", "",
             "| table | field | unit | type | default | allowed values | meaning |",
             "|---|---|---|---|---|---|---|"]
    for f in FIELDS:
        lines.append(f"| {f'[{f.table}]' if f.table else '(top level)'} | `{f.key}` | {f.unit or '-'} | "
                     f"{f.kind} | {_default_text(f).replace('|', '/')} | {', '.join(f.allowed) or '-'} | {f.help} |")
    lines += ["| [sources] | any field name | - | text | - | - | where the number comes from "
              "(`assumed: ...` for assumptions) |", ""]
    return "\n".join(lines)


if __name__ == "__main__":  # python -m orbitsim.scenario_template > docs/scenario.md
    import sys

    sys.stdout.write(fields_markdown())
