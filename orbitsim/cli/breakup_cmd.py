"""``orbitsim breakup``: one fragment cloud of the NASA Standard Breakup Model.

Parses, calls :func:`orbitsim.breakup.collision` or :func:`orbitsim.breakup.explosion`, writes and
prints; no physics here.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from ..errors import InputError, UsageError

EXAMPLES = """\
examples:
  orbitsim breakup --target-mass 900 --projectile-mass 556 --speed 11.7 --json
      Iridium 33 + Cosmos 2251 (catastrophic): summary counts as JSON, no fragment rows
  orbitsim breakup --target-mass 880 --projectile-mass 20 --speed 9.36 --min-size 0.1 --seed 7 --out fy1c.csv
      one row per fragment >= 10 cm in fy1c.csv, provenance in fy1c.csv.provenance.json
  orbitsim breakup --target-mass 1750 --projectile-mass 20 --speed 7 --out cloud.npz --json
      the cloud as NumPy .npz (provenance embedded) and the summary as JSON
  orbitsim breakup --explosion --mass 1400 --target-type rocket_body --scaling 1 --min-size 0.01

Without a parent state (the CLI takes none), fragment positions and velocities are NaN and no
fragment is dropped for re-entry. CSV columns: lc_m, area_to_mass_m2_per_kg, area_m2, mass_kg,
dv_m_per_s (speed), dvx/dvy/dvz_m_per_s, parent (0 target, 1 projectile), is_remnant, rx/ry/rz_km,
vx/vy/vz_km_s. Exit codes: 0 ok, 1 bad input, 2 bad command line, 3 output exists (use --force),
4 over the fragment budget.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "breakup",
        help="fragment a collision or an explosion (NASA Standard Breakup Model)",
        description="Fragment a collision or an explosion with the NASA Standard Breakup Model "
                    "(Johnson et al. 2001, Krisko 2011 corrections) and write or summarize the cloud.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    g = p.add_argument_group("collision")
    g.add_argument("--target-mass", type=float, metavar="KG", help="target mass [kg]")
    g.add_argument("--projectile-mass", type=float, metavar="KG", help="projectile mass [kg]")
    g.add_argument("--speed", type=float, metavar="KM_S", help="impact (relative) speed [km/s]")
    g.add_argument("--projectile-type", choices=("spacecraft", "rocket_body"), default="spacecraft",
                   help="projectile object type (default spacecraft)")
    g.add_argument("--target-size", type=float, metavar="M",
                   help="target characteristic length [m] (default: from the mass)")
    g.add_argument("--projectile-size", type=float, metavar="M",
                   help="projectile characteristic length [m] (default: from the mass)")
    e = p.add_argument_group("explosion")
    e.add_argument("--explosion", action="store_true", help="an explosion instead of a collision")
    e.add_argument("--mass", type=float, metavar="KG", help="mass of the exploding body [kg]")
    e.add_argument("--size", type=float, metavar="M",
                   help="its characteristic length [m] (default: from the mass)")
    e.add_argument("--scaling", type=float, default=1.0, metavar="S",
                   help="explosion scaling factor S in N = 6 S Lc^-1.6 (default 1)")
    c = p.add_argument_group("model and output")
    c.add_argument("--target-type", choices=("spacecraft", "rocket_body"), default="spacecraft",
                   help="object type of the target (or of the exploding body); default spacecraft")
    c.add_argument("--min-size", type=float, default=0.01, metavar="M",
                   help="smallest characteristic length sampled [m] (default 0.01)")
    c.add_argument("--seed", type=int, default=None, metavar="N",
                   help="random seed (default: fresh entropy, recorded in the output)")
    c.add_argument("--mass-budget", choices=("krisko2011", "none"), default="krisko2011",
                   help="mass-budget policy (default krisko2011)")
    c.add_argument("--bridge", choices=("sample_blend", "law_mixture", "switch"),
                   default="sample_blend", help="A/M law between 8 and 11 cm (default sample_blend)")
    c.add_argument("--am-large", choices=("mixture", "blend"), default="mixture",
                   help="reading of the large-fragment bimodal A/M law (default mixture)")
    c.add_argument("--max-fragments", type=int, default=50_000_000, metavar="N",
                   help="refuse requests expecting more fragments than this (default 50000000)")
    c.add_argument("--out", metavar="FILE", help="write one row per fragment: .csv (provenance in "
                   "FILE.provenance.json) or .npz (provenance embedded)")
    c.add_argument("--force", action="store_true", help="overwrite an existing --out file")
    c.add_argument("--json", action="store_true", help="print the summary as a JSON object")
    p.set_defaults(func=run)


def _need(args, names, what):
    missing = [f"--{n.replace('_', '-')}" for n in names if getattr(args, n) is None]
    if missing:
        raise UsageError(f"{what} needs {', '.join(missing)}")


def run(args) -> int:
    from .. import breakup  # import here: `orbitsim --help` stays fast

    out = Path(args.out) if args.out else None
    if out is not None:
        if out.suffix.lower() not in (".csv", ".npz"):
            raise UsageError(f"--out {out}: the file name must end in .csv or .npz")
        from ..io import check_output_file

        check_output_file(out, force=args.force)
    options = dict(min_size=args.min_size, seed=args.seed, mass_budget=args.mass_budget,
                   bridge=args.bridge, am_large=args.am_large, max_fragments=args.max_fragments)
    if args.explosion:
        given = [f"--{n.replace('_', '-')}" for n in ("target_mass", "projectile_mass", "speed")
                 if getattr(args, n) is not None]
        if given:
            raise UsageError(f"--explosion takes --mass, not {', '.join(given)}")
        _need(args, ["mass"], "--explosion")
        parent = breakup.Parent(mass_kg=args.mass, lc_m=args.size, object_type=args.target_type,
                                name="parent")
        cloud = breakup.explosion(parent, scaling=args.scaling, **options)
    else:
        if args.mass is not None:
            raise UsageError("--mass is for --explosion; a collision takes --target-mass and "
                             "--projectile-mass")
        _need(args, ["target_mass", "projectile_mass", "speed"], "a collision")
        target = breakup.Parent(mass_kg=args.target_mass, lc_m=args.target_size,
                                object_type=args.target_type, name="target")
        projectile = breakup.Parent(mass_kg=args.projectile_mass, lc_m=args.projectile_size,
                                    object_type=args.projectile_type, name="projectile")
        cloud = breakup.collision(target, projectile, args.speed, **options)

    command = "orbitsim " + " ".join(sys.argv[1:]) if sys.argv[1:2] == ["breakup"] else "orbitsim breakup"
    if out is not None:
        if out.suffix.lower() == ".npz":
            cloud.to_npz(out, command=command)
        else:
            cloud.to_csv(out, command=command)
    summary = cloud.summary()
    if args.json:
        from ..io import dumps_json

        sys.stdout.write(dumps_json(summary))
    elif out is None:
        print(_human(summary))
    else:
        print(f"wrote {summary['n_fragments']:,} fragments to {out}", file=sys.stderr)
    return 0


def _fmt_count(x):
    return "(below --min-size)" if x is None else f"{x:,}"


def _human(s: dict) -> str:
    emr = s["emr_j_per_g"]
    kind = s["event"]
    if kind == "collision":
        kind += " (catastrophic)" if s["catastrophic"] else " (non-catastrophic)"
    lines = [
        f"{kind}: {s['n_fragments']:,} fragments >= {s['min_size_m']:g} m "
        f"(seed {s['seed']})",
        f"  >= 10 cm: {_fmt_count(s['n_ge_10cm'])}   >= 1 cm: {_fmt_count(s['n_ge_1cm'])}   "
        f">= 1 mm: {_fmt_count(s['n_ge_1mm'])}",
        f"  fragment mass {s['total_mass_kg']:.6g} kg of {s['parents_mass_kg']:.6g} kg "
        f"(budget {s['mass_budget']}, {s['n_remnants']} remnant/large pieces)",
    ]
    if emr is not None and math.isfinite(emr):
        lines.append(f"  energy-to-mass ratio {emr:.6g} J/g (catastrophic at >= 40 J/g)")
    lines.append("  (use --json for the full summary, --out FILE.csv|.npz for the fragments)")
    return "\n".join(lines)
