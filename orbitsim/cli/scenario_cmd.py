"""``orbitsim scenario``: write scenario files (``scenario template`` prints every field)."""

from __future__ import annotations

import argparse

EXAMPLES = """\
examples:
  orbitsim scenario template                      print a commented scenario TOML with every field
  orbitsim scenario template > my-test.toml       start a scenario from it
  orbitsim scenario template --out my-test.toml   the same, refusing to overwrite without --force

Every field comes with its unit, default and allowed values; docs/scenario.md lists the same.
"""


def register(subparsers) -> None:
    p = subparsers.add_parser(
        "scenario", help="scenario files: 'scenario template' prints one with every field",
        description="Help with writing scenario TOML files.", epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("action", choices=["template"], help="template: print a commented TOML with every field")
    p.add_argument("--out", metavar="FILE", help="write the template to FILE instead of printing it")
    p.add_argument("--force", action="store_true", help="overwrite FILE")
    p.set_defaults(func=main)


def main(args) -> int:
    from ..scenario_template import template

    text = template()
    if args.out:
        from ..io import atomic_write

        with atomic_write(args.out, "w", force=args.force) as fh:
            fh.write(text)
        print(f"wrote {args.out}")
    else:
        print(text, end="")
    return 0
