"""Command line: `python -m catalog_index {build,update,check} --help`."""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from catalog_index.build import build_index, check_catalog, update_index
from catalog_index.model import LoadReport
from catalog_index.readers import FORMATS, UnsupportedFormat
from runtime.settings import Settings

MAX_LISTED_REJECTIONS = 50


def _print_report(report: LoadReport, list_all: bool) -> None:
    print(report.summary())
    shown = report.rejections if list_all else report.rejections[:MAX_LISTED_REJECTIONS]
    for rejection in shown:
        print(f"  rejected {rejection}")
    hidden = len(report.rejections) - len(shown)
    if hidden:
        print(f"  ... and {hidden} more (use --all-rejections to list every one)")


def main(argv: list[str] | None = None) -> int:
    settings = Settings.from_env()
    parser = argparse.ArgumentParser(prog="python -m catalog_index", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    def add_common(sub):
        sub.add_argument("--catalog", type=Path, default=settings.catalog_path,
                         help="catalog file (default: $CATALOG or the bundled demo feed)")
        sub.add_argument("--format", default="auto", choices=("auto", *FORMATS),
                         help="feed format (default: detect from name and content)")
        sub.add_argument("--all-rejections", action="store_true", help="list every rejected row")
        sub.add_argument("--no-progress", action="store_true", help="hide progress bars")

    build = commands.add_parser("build", help="validate the catalog, embed it and publish a new index build")
    add_common(build)
    build.add_argument("--out", type=Path, default=settings.index_dir, help="index directory (default: $OMNISHOP_INDEX or var/index)")
    build.add_argument("--force", action="store_true", help="rebuild even if catalog and model are unchanged")

    update = commands.add_parser("update", help="apply price, stock and product changes to the live index in place")
    add_common(update)
    update.add_argument("--index", type=Path, default=settings.index_dir, help="index directory to update")
    update.add_argument("--full", action="store_true",
                        help="the feed is the whole catalog: products missing from it are removed from results")

    check = commands.add_parser("check", help="validate the catalog only, build nothing")
    add_common(check)

    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    progress = not args.no_progress
    try:
        if args.command == "build":
            result = build_index(args.catalog, args.out, args.format, settings.model_path, settings.model_sha256,
                                 force=args.force, progress=progress,
                                 hnsw_min_products=settings.search.hnsw_min_products,
                                 model_cache=settings.var_dir / "encoders")
            if result.skipped:
                print(f"index up to date: {result.build_dir} (catalog and model unchanged; --force rebuilds)")
                return 0
            _print_report(result.report, args.all_rejections)
            if result.report.products == 0:
                print("error: nothing usable was loaded; index not built", file=sys.stderr)
                return 1
            print(f"built {result.build_dir} in {result.manifest['seconds']['total']} s; "
                  f"prices in {result.manifest['currency']}")
            return 0
        if args.command == "update":
            result = update_index(args.catalog, args.index, args.format, args.full, settings.model_path,
                                  settings.model_sha256, progress, model_cache=settings.var_dir / "encoders")
            _print_report(result.load, args.all_rejections)
            print(result.summary())
            return 0 if result.load.variants else 1
        report = check_catalog(args.catalog, args.format, progress)
        _print_report(report, args.all_rejections)
        return 0 if report.products else 1
    except (FileNotFoundError, UnsupportedFormat) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
