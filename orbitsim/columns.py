"""Every column orbitsim writes, spelled once: name, unit, description and section.

The tables of a run directory (``summary.csv``, ``exposure_by_owner.csv``, ...) name their columns
with units in the name (``altitude_km``); this module says what each one counts. It is the single
source of

- the glossary ``docs/columns.md`` (:func:`glossary_markdown`; regenerate with
  ``python -m orbitsim.columns > docs/columns.md``);
- the ``unit`` and ``description`` of each column in the ECSV tables
  (:func:`orbitsim.report.tables.to_ecsv`);
- the definitions printed next to the headline numbers in ``report.html``, ``orbitsim compare``
  and ``--json`` (:data:`HEADLINE`);
- the split of the summary into inputs, assumptions and results (:func:`section`).

Band columns are not listed one by one: ``x_p05`` and ``x_p95`` are the 5th and 95th percentiles
over the Monte Carlo members (breakup seeds) of ``x``, whose own value is the median over members
(:func:`describe` resolves them).

Units are astropy unit strings (``"km"``, ``"km / s"``, ``"1 / km3"``); ``""`` means a pure number
(a count, a ratio or a probability).
"""

from __future__ import annotations

from dataclasses import dataclass

#: Suffixes of band columns and what they mean.
BAND_SUFFIXES = {"_p05": "5th percentile over the Monte Carlo members (see band_covers: breakup seed and "
                         "sampled inputs; empty with fewer than 20 members)",
                 "_p95": "95th percentile over the Monte Carlo members (see band_covers: breakup seed and "
                         "sampled inputs; empty with fewer than 20 members)"}

#: What the band of every ``x`` / ``x_p05`` / ``x_p95`` triple covers (stated next to each band).
BAND_MEANING = ("median and 5-95% range over the Monte Carlo members, each with its own breakup seed and "
                "its own draw of the uncertain inputs ([uncertainty]: masses, closing speed, direction, Cd, "
                "density scale; the band_covers column names them); it does not cover the error of the "
                "models themselves; no range is printed with fewer than 20 members")

SECTIONS = ("inputs", "assumptions", "results")


@dataclass(frozen=True)
class Column:
    """One column: ``name`` (units in the name), astropy ``unit``, ``description``, ``section``."""

    name: str
    unit: str
    description: str
    section: str = "results"
    table: str = "summary"


def _summary_columns() -> list[Column]:
    c: list[Column] = []

    def add(name, unit, description, section="results"):
        c.append(Column(name, unit, description, section, "summary"))

    # -- inputs: the scenario as written
    add("scenario", "", "Scenario name (a preset, a scenario file's name, or NAME@ALTkm in a sweep)", "inputs")
    add("hypothetical", "", "true unless this is one of the real tests modelled as it happened", "inputs")
    add("altitude_km", "km", "Mean altitude of the target's orbit, (perigee + apogee) / 2, above the WGS72 "
        "equatorial radius", "inputs")
    add("perigee_km", "km", "Perigee altitude of the target's orbit", "inputs")
    add("apogee_km", "km", "Apogee altitude of the target's orbit", "inputs")
    add("inclination_deg", "deg", "Inclination of the target's orbit", "inputs")
    add("target_mass_kg", "kg", "Mass of the satellite destroyed", "inputs")
    add("interceptor_mass_kg", "kg", "Mass of the kill vehicle", "inputs")
    add("closing_speed_km_s", "km / s", "Relative speed of interceptor and target at impact", "inputs")
    # -- assumptions: settings that change the numbers
    add("n_seeds", "", "Monte Carlo members (breakup seeds) behind each median and band", "assumptions")
    add("min_size_m", "m", "Smallest fragment simulated (characteristic length); smaller ones are counted "
        "by the size law, not propagated", "assumptions")
    add("breakup_mode", "", "Breakup model: sbm (NASA Standard Breakup Model as published), sbm-momentum "
        "or calibrated", "assumptions")
    add("band_covers", "", "What the _p05/_p95 band of this row covers", "assumptions")
    add("band_covers_risk", "", "What the band of the conjunction and collision-risk columns covers (only the "
        "screened members have them)", "assumptions")
    add("n_members", "", "Monte Carlo members of the run (each a breakup seed and a draw of the uncertain "
        "inputs)", "assumptions")
    add("n_members_screened", "", "Members screened for conjunctions and given the collision risk (the "
        "first ones); the others have persistence only", "assumptions")
    for name, unit, what in (("target_mass_kg", "kg", "target mass"), ("interceptor_mass_kg", "kg",
                             "interceptor mass"), ("closing_speed_km_s", "km / s", "closing speed"),
                             ("cd", "", "drag coefficient of the fragments"),
                             ("density_scale", "", "factor on the atmosphere's density"),
                             ("count_scale", "", "calibrated factor on the SBM fragment count"),
                             ("dv_scale", "", "factor on the SBM ejection speeds"),
                             ("momentum_coupling", "", "share of the interceptor's momentum the fragments "
                              "take")):
        add(f"input_{name}", unit, f"The members' drawn {what} (median over members; the band is the spread "
            "of the draws)", "assumptions")
    add("screening_days", "d", "Length of the conjunction screening window after the event", "assumptions")
    add("screening_threshold_km", "km", "Miss distance below which a close approach counts as a conjunction",
        "assumptions")
    add("horizon_years", "yr", "Length of the long-term evolution; numbers beyond it are not determined",
        "assumptions")
    add("epoch_utc", "", "Time of the intercept, UTC", "assumptions")
    add("catalog_reference_epoch_utc", "", "Median element-set epoch of the catalog's active payloads (the "
        "fleet at risk), UTC", "assumptions")
    add("screening_epoch_utc", "", "Start of the screening window, UTC (the catalog epoch when a past event "
        "is screened against today's fleet)", "assumptions")
    add("band", "", "What every _p05/_p95 band covers", "assumptions")
    # -- results: counts
    add("n_ge_10cm", "", "Fragments >= 10 cm (trackable) put on orbit by the test, simulated")
    add("n_ge_1cm", "", "Fragments >= 1 cm (lethal to a satellite, mostly not trackable); below the "
        "simulated size counted by the SBM size law")
    add("n_ge_1mm", "", "Fragments >= 1 mm; below the simulated size counted by the SBM size law")
    for k, label in (("10cm", "10 cm"), ("1cm", "1 cm"), ("1mm", "1 mm")):
        add(f"sbm_expected_n_ge_{k}", "", f"Expected number of fragments >= {label} from the SBM size law "
            "(mean of the law, not a draw)")
    add("n_fragments_simulated", "", "Fragments drawn and propagated (>= min_size_m)")
    add("n_fragments_screened", "", "Fragments screened against the catalog in the first days")
    add("n_reentered_at_once", "", "Fragments whose orbit intersects the atmosphere at once (perigee "
        "below re-entry altitude) and are dropped")
    add("n_hyperbolic", "", "Fragments thrown onto escape orbits and dropped")
    # lifetimes and persistence
    checkpoints = (("1mo", "1 month"), ("1y", "1 year"), ("5y", "5 years"), ("10y", "10 years"),
                   ("25y", "25 years"), ("50y", "50 years"), ("100y", "100 years"))
    for k, label in checkpoints:
        add(f"on_orbit_{k}", "", f"Fragments >= 10 cm still on orbit {label} after the event (empty beyond "
            "the run's horizon)")
    for k, label in checkpoints:
        add(f"fraction_on_orbit_{k}", "", f"Fraction of the fragments >= 10 cm still on orbit {label} after "
            "the event (empty beyond the run's horizon)")
    add("fragment_years", "yr", "Sum over fragments >= 10 cm of the years each spends on orbit within the "
        "horizon")
    add("fragment_years_ge_1cm", "yr", "Sum over simulated fragments >= 1 cm of the years each spends on "
        "orbit within the horizon")
    for p in (50, 90, 99):
        add(f"years_to_{p}pct_gone", "yr", f"Years after the event until {p}% of the fragments >= 10 cm have "
            "re-entered (empty when not reached within the horizon)")
    add("reversibility", "", "Persistence class of the debris (see taxonomy.json and the README's "
        "taxonomy section for the thresholds and their sources)")
    for name, label in (("iss", "the ISS"), ("tiangong", "Tiangong"), ("active", "all exposed assets together")):
        add(f"{name}_background_collisions_per_year", "1 / yr", f"Collision rate of {label} with the catalogued "
            "background (the embedded SATCAT's objects in orbit, >= ~10 cm, static; docs/physical-sizes.md)")
        for w, wl in (("10d", "10 days (at the rate just after the event)"), ("1y", "1 year"), ("10y", "10 years")):
            add(f"{name}_risk_ratio_{w}", "", f"(background + test) / background: expected collisions of {label} "
                f"over {wl}, catalogued background plus the test's simulated fragments (>= min_size_m), over "
                "the background alone; no avoidance manoeuvres assumed")
    add("max_apogee_km", "km", "Highest apogee of any fragment (a statistic of a handful of fragments)")
    add("n_apogee_above_2000km", "", "Fragments >= 10 cm thrown to apogees above 2,000 km (propagated without "
        "luni-solar perturbations or radiation pressure)")
    add("apogee_p99_km", "km", "99th percentile of the fragments' apogee altitudes (robust extent of the "
        "cloud)")
    add("min_perigee_km", "km", "Lowest perigee of any fragment")
    add("altitude_span_km", "km", "max_apogee_km - min_perigee_km")
    # conjunctions and warnings (first week)
    add("conjunctions_week1", "", "Fragment-satellite close approaches (< screening threshold) with active "
        "payloads in the screening window")
    add("conjunctions_per_day_week1", "1 / d", "conjunctions_week1 per day of the screening window")
    add("satellites_in_conjunction_week1", "", "Distinct active payloads with at least one close approach")
    add("warnings_to_other_states_week1", "", "Close approaches with other states' active payloads: the "
        "conjunction warnings the tester would have to pass on (any Pc)")
    add("other_state_operators_to_warn", "", "Distinct owners (states or organisations) among those "
        "warnings")
    for pc in ("1e-4", "1e-5"):
        add(f"warnings_pc_ge_{pc}_to_other_states_week1", "", "Close approaches with other states' active "
            f"payloads with collision probability >= {pc} (warnings an operator acts on)")
    # collision risk
    for y in (1, 10, 25):
        add(f"expected_collisions_{y}y", "", f"Expected collisions of fragments >= min_size_m with active "
            f"payloads over {y} years (cell method on the decayed cloud)")
        add(f"expected_collisions_{y}y_tester", "", f"Part of expected_collisions_{y}y borne by the tester's "
            "own active payloads")
        add(f"expected_collisions_{y}y_others", "", f"Part of expected_collisions_{y}y borne by other owners' "
            "active payloads")
        add(f"expected_collisions_{y}y_catastrophic", "", f"Part of expected_collisions_{y}y with impact "
            "energy >= 40 J/g (catastrophic: the satellite is destroyed)")
        add(f"expected_collisions_{y}y_noncatastrophic", "", f"Part of expected_collisions_{y}y below 40 J/g "
            "(damaging, not destroying)")
    # crewed stations
    for st, label in (("iss", "the ISS"), ("tiangong", "Tiangong")):
        add(f"{st}_conjunctions_week1", "", f"Close approaches of fragments with {label} in the screening "
            "window (empty when the station is not in the catalog)")
        add(f"{st}_min_miss_km", "km", f"Smallest fragment miss distance to {label} in the screening window")
        for y in (1, 10, 25):
            add(f"{st}_expected_collisions_{y}y", "", f"Expected collisions of fragments with {label} over "
                f"{y} years")
    return c


def _exposure_columns() -> list[Column]:
    t = "exposure_by_owner"
    c = [Column("scenario", "", "Scenario name", "inputs", t),
         Column("owner", "", "SATCAT owner code of the active payloads (a state or organisation)", "inputs", t),
         Column("is_tester", "", "true for the testing state's own payloads", "inputs", t),
         Column("n_active_payloads", "", "Active payloads of this owner in the catalog", "inputs", t),
         Column("band_covers", "", "What the band of this owner's numbers covers (the screened members)",
                "assumptions", t),
         Column("n_active_payloads_size_estimated", "", "Of these, payloads whose collision size is modelled "
                "from their mass, not taken from the sourced table (docs/physical-sizes.md)", "assumptions", t),
         Column("n_active_payloads_mass_estimated", "", "Of these, payloads whose mass is estimated (no UCS or "
                "table mass)", "assumptions", t),
         Column("conjunctions_per_day_week1", "1 / d", "Close approaches per day of fragments with this "
                "owner's active payloads in the screening window", "results", t)]
    for y in (1, 10, 25):
        c.append(Column(f"expected_collisions_{y}y", "", f"Expected collisions of fragments with this owner's "
                        f"active payloads over {y} years", "results", t))
        c.append(Column(f"expected_collisions_{y}y_catastrophic", "", f"Catastrophic (>= 40 J/g) part of "
                        f"expected_collisions_{y}y", "results", t))
        c.append(Column(f"expected_collisions_{y}y_noncatastrophic", "", f"Non-catastrophic part of "
                        f"expected_collisions_{y}y", "results", t))
    return c


def _other_columns() -> list[Column]:
    c = []
    for name, unit, d in (
            ("seed", "", "Breakup seed (Monte Carlo member) of the row"),
            ("fragment_id", "", "Catalog number given to the simulated fragment (from 900000)"),
            ("satellite_id", "", "NORAD catalog number of the active payload"),
            ("satellite_owner", "", "SATCAT owner code of the active payload"),
            ("tca_utc", "", "Time of closest approach, UTC (ISO 8601)"),
            ("miss_km", "km", "Miss distance at closest approach"),
            ("rel_speed_km_s", "km / s", "Relative speed at closest approach"),
            ("pc", "", "Collision probability of the close approach"),
            ("hbr_km", "km", "Hard-body radius of the pair: half the sum of the fragment's and the payload's "
             "hard-body diameters"),
            ("satellite_size_estimated", "", "true where the payload's size is modelled from its mass rather "
             "than sourced (docs/physical-sizes.md)")):
        c.append(Column(name, unit, d, "results", "conjunctions"))
    for name, unit, d in (
            ("band_covers", "", "What the band of the added-density columns covers"),
            ("shell_low_km", "km", "Lower edge of the altitude shell"),
            ("shell_high_km", "km", "Upper edge of the altitude shell"),
            ("catalog_density_per_km3", "1 / km3", "Time-averaged spatial density of the catalog's objects"),
            ("added_density_0y_per_km3", "1 / km3", "Spatial density added by the fragments just after the event"),
            ("added_density_1y_per_km3", "1 / km3", "Spatial density added by the fragments still up after 1 year "
             "(at their initial orbits)"),
            ("added_over_catalog_0y", "", "added_density_0y_per_km3 / catalog_density_per_km3"),
            ("added_over_catalog_1y", "", "added_density_1y_per_km3 / catalog_density_per_km3")):
        c.append(Column(name, unit, d, "results", "density_by_shell"))
    for name, unit, d in (
            ("years", "yr", "Years after the event"),
            ("on_orbit_ge_10cm", "", "Fragments >= 10 cm still on orbit")):
        c.append(Column(name, unit, d, "results", "on_orbit_over_time"))
    for name, unit, d in (
            ("perigee_km", "km", "Fragment's perigee altitude just after the event"),
            ("apogee_km", "km", "Fragment's apogee altitude just after the event"),
            ("period_min", "min", "Fragment's orbital period"),
            ("lc_m", "m", "Fragment's characteristic length")):
        c.append(Column(name, unit, d, "results", "gabbard"))
    return c


def _ceiling_columns() -> list[Column]:
    t = "ceiling"
    c = [Column("altitude_km", "km", "Intercept altitude (circular orbit of the target)", "inputs", t),
         Column("solar_phase", "", "Solar phase of the event date: min or max of the fitted solar cycle", "inputs", t),
         Column("event_epoch_utc", "", "Date of the event, UTC", "inputs", t),
         Column("members", "", "Monte Carlo members (breakup seeds) per cell", "assumptions", t),
         Column("horizon_years", "yr", "Decay horizon; persistence beyond it is not determined", "assumptions", t),
         Column("n_ge_10cm", "", "Fragments >= 10 cm from the breakup", "results", t),
         Column("n_ge_1cm", "", "Fragments >= 1 cm from the breakup", "results", t),
         Column("fraction_above_iss_apogee", "", "Fraction of the fragments >= 10 cm whose apogee is above the "
                "ISS's just after the event", "results", t)]
    for key, label in (("ge_10cm", ">= 10 cm"), ("ge_1cm", ">= 1 cm")):
        for p in (50, 90, 99):
            c.append(Column(f"years_to_{p}pct_gone_{key}", "yr", f"Years until {p}% of the fragments {label} "
                            "have re-entered (empty: not within the horizon)", "results", t))
    return c


#: Every column, grouped by the table that holds it (``summary``, ``exposure_by_owner``, ...).
COLUMNS: dict[str, dict[str, Column]] = {}
for _col in _summary_columns() + _exposure_columns() + _other_columns() + _ceiling_columns():
    COLUMNS.setdefault(_col.table, {})[_col.name] = _col
del _col

#: Headline numbers, in the order a reader looks for them: ``(column, short label)``.
HEADLINE = (
    ("n_ge_10cm", "Trackable fragments (>= 10 cm)"),
    ("n_ge_1cm", "Lethal fragments (>= 1 cm)"),
    ("on_orbit_1y", "Still on orbit after 1 year (>= 10 cm)"),
    ("on_orbit_5y", "Still on orbit after 5 years (>= 10 cm)"),
    ("on_orbit_25y", "Still on orbit after 25 years (>= 10 cm)"),
    ("years_to_90pct_gone", "Years until 90% are gone (>= 10 cm)"),
    ("years_to_99pct_gone", "Years until 99% are gone (>= 10 cm)"),
    ("apogee_p99_km", "Cloud extent: 99% of apogees below (km)"),
    ("conjunctions_week1", "Close approaches with active payloads, first week"),
    ("warnings_to_other_states_week1", "Warnings owed to other states, first week"),
    ("expected_collisions_25y", "Expected collisions with active payloads, 25 years"),
    ("expected_collisions_25y_others", "... of which other owners' payloads"),
    ("iss_conjunctions_week1", "ISS: close approaches, first week"),
    ("iss_expected_collisions_25y", "ISS: expected collisions, 25 years"),
    ("iss_risk_ratio_1y", "ISS: risk with the test over risk without it, 1 year"),
    ("tiangong_conjunctions_week1", "Tiangong: close approaches, first week"),
    ("tiangong_expected_collisions_25y", "Tiangong: expected collisions, 25 years"),
    ("tiangong_risk_ratio_1y", "Tiangong: risk with the test over risk without it, 1 year"),
    ("reversibility", "Persistence class"),
)


def lookup(name: str, table: str = "summary") -> Column | None:
    """The :class:`Column` of ``name`` in ``table`` (band columns resolve to their base), or None."""
    cols = COLUMNS.get(table, {})
    if name in cols:
        return cols[name]
    for suf, what in BAND_SUFFIXES.items():
        if name.endswith(suf) and name[: -len(suf)] in cols:
            base = cols[name[: -len(suf)]]
            return Column(name, base.unit, f"{what} of {base.name}: {base.description}", base.section, table)
    return None


def describe(name: str, table: str = "summary") -> str:
    """Description of a column (``""`` when the schema does not know it)."""
    col = lookup(name, table)
    return col.description if col else ""


def unit(name: str, table: str = "summary") -> str:
    """Astropy unit string of a column (``""``: a pure number or unknown)."""
    col = lookup(name, table)
    return col.unit if col else ""


def section(name: str, table: str = "summary") -> str:
    """``inputs``, ``assumptions`` or ``results`` (unknown columns are results)."""
    col = lookup(name, table)
    return col.section if col else "results"


def glossary_markdown() -> str:
    """The text of ``docs/columns.md``: every column of every table, with unit and description."""
    lines = ["# Columns: what each number in a run directory counts", "",
             "Generated from `orbitsim/columns.py` (`python -m orbitsim.columns > docs/columns.md`); the same",
             "descriptions and units are in the ECSV tables' column metadata. Do not edit by hand.", "",
             "Bands: a column `x` that comes with `x_p05` and `x_p95` is the median over the Monte Carlo",
             "members (breakup seeds); `x_p05` and `x_p95` are the 5th and 95th percentiles over the same",
             "members. The band covers the breakup model's randomness only, not the uncertainty of the",
             "model or of its inputs. Empty cells (NaN) mean *not determined* (e.g. beyond the run's",
             "horizon), never zero.", ""]
    titles = {"summary": "summary.csv: one row per scenario",
              "exposure_by_owner": "exposure_by_owner.csv: one row per owner (and scenario)",
              "conjunctions": "conjunctions.csv: one row per close approach (and member)",
              "density_by_shell": "density_by_shell.csv: one row per altitude shell (and scenario)",
              "on_orbit_over_time": "on_orbit_over_time.csv: one row per time (and scenario)",
              "gabbard": "gabbard.csv: one row per fragment of the first member",
              "ceiling": "ceiling.csv (orbitsim ceiling): one row per intercept altitude and solar phase"}
    for table, cols in COLUMNS.items():
        lines += [f"## {titles.get(table, table)}", ""]
        for sec in SECTIONS:
            group = [c for c in cols.values() if c.section == sec]
            if not group:
                continue
            if table == "summary":
                lines += [f"### {sec.capitalize()}", ""]
            lines += ["| column | unit | description |", "|---|---|---|"]
            for c in group:
                lines.append(f"| `{c.name}` | {c.unit.replace(' ', '') or '-'} | {c.description} |")
            lines.append("")
    return "\n".join(lines)


if __name__ == "__main__":  # python -m orbitsim.columns > docs/columns.md
    import sys

    sys.stdout.write(glossary_markdown())
