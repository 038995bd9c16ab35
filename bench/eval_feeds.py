"""How well scans of the dev feeds flag the recruiters behind the ads, judged against truth.json.

Serves the feed files over HTTP on loopback, imports the dev register into a fresh database,
scans every feed twice, then reads what was stored and flagged:

    .venv/bin/python bench/eval_feeds.py [--feeds DIR] [--registry CSV] [--database-url URL]

The numbers printed are the quality bar of issue 4; ``tests/integration/test_scan_quality.py``
asserts them through ``measure``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import json
import os
import re
import sys
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data"
_AD_ID = re.compile(r"ad-\d+")


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@contextlib.contextmanager
def serve_directory(directory: Path) -> Iterator[str]:
    """A static HTTP server on 127.0.0.1 (ETag-less, Last-Modified from the files)."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


async def scan_feeds(base_url: str, names: list[str], times: int = 2) -> list[dict[str, Any]]:
    """Create one feed per file and scan them all ``times`` times; the scan results in order."""
    from registry.services import feeds
    from registry.tables import Feed

    ids = [(await feeds.create_feed(url=f"{base_url}/{name}", name=name))["id"] for name in names]
    results = []
    for _ in range(times):
        # forget ETag/Last-Modified: every round reads every item again, not a 304
        await Feed.update({Feed.etag: "", Feed.last_modified: ""}).where(Feed.id.is_in(ids))
        for feed_id in ids:
            results.append(await feeds.scan_feed(feed_id))
    return results


async def measure(truth: dict[str, Any], expected_items: int) -> dict[str, Any]:
    """The quality figures, from the stored ads, profiles and flags against the truth."""
    from registry.tables import Ad, Flag, RecruiterProfile

    recruiters = {r["id"]: r for r in truth["recruiters"]}
    truth_ads = {a["id"]: a for a in truth["ads"]}
    rows = await Ad.select(Ad.id, Ad.external_id, Ad.feed, Ad.profile, Ad.repost_of)
    merged = {
        r["id"]: r["merged_into"]
        for r in await RecruiterProfile.select(RecruiterProfile.id, RecruiterProfile.merged_into)
    }

    def live(profile: int | None) -> int | None:
        seen = set()
        while profile is not None and merged.get(profile) is not None and profile not in seen:
            seen.add(profile)
            profile = merged[profile]
        return profile

    by_id = {r["id"]: r for r in rows}
    reasons = {
        f["profile"]: set(
            json.loads(f["reasons"]) if isinstance(f["reasons"], str) else f["reasons"]
        )
        for f in await Flag.select(Flag.profile, Flag.reasons)
    }
    per_item: dict[tuple[int, str], int] = defaultdict(int)
    profiles_of: dict[str, set[int | None]] = defaultdict(set)
    recruiters_of_profile: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        found = _AD_ID.search(row["external_id"])
        if not found or found.group() not in truth_ads:
            continue
        per_item[(row["feed"], found.group())] += 1
        profile = row["profile"]
        if profile is None and row["repost_of"]:
            profile = by_id[row["repost_of"]]["profile"]
        profile = live(profile)
        recruiter = truth_ads[found.group()]["recruiter"]
        profiles_of[recruiter].add(profile)
        if profile is not None:
            recruiters_of_profile[profile].add(recruiter)

    def flagged_as(recruiter: str, reason: str) -> bool:
        return any(p is not None and reason in reasons.get(p, ()) for p in profiles_of[recruiter])

    def of_type(kind: str) -> list[str]:
        return [rid for rid, r in recruiters.items() if r["type"] == kind and rid in profiles_of]

    unregistered = of_type("unregistered")
    one_recruiter = [
        rid
        for rid in unregistered
        if len(profiles_of[rid]) == 1
        and None not in profiles_of[rid]
        and flagged_as(rid, "unlicensed_advertising")
    ]
    inactive = of_type("registered_inactive")
    active = of_type("registered_active")
    impostors = of_type("impostor")
    named = {a["recruiter"] for a in truth["ads"] if a.get("name")}
    named_impostors = [rid for rid in impostors if rid in named]
    wrongly = [
        rid
        for rid in active
        if flagged_as(rid, "unlicensed_advertising") or flagged_as(rid, "inactive_license")
    ]
    mixed = {p: rs for p, rs in recruiters_of_profile.items() if len(rs) > 1}
    return {
        "ads_in_feeds": expected_items,
        "ads_stored": len(rows),
        "items_stored_more_than_once": sum(1 for n in per_item.values() if n > 1),
        "unregistered_advertisers": len(unregistered),
        "unregistered_flagged": sum(
            1 for r in unregistered if flagged_as(r, "unlicensed_advertising")
        ),
        "unregistered_flagged_as_one_recruiter": len(one_recruiter),
        "unregistered_split": sorted(r for r in unregistered if len(profiles_of[r]) > 1),
        "inactive_advertisers": len(inactive),
        "inactive_flagged": sum(1 for r in inactive if flagged_as(r, "inactive_license")),
        "active_advertisers": len(active),
        "active_wrongly_flagged": sorted(wrongly),
        "impostors": len(impostors),
        "impostors_named_in_ads": len(named_impostors),
        "impostors_flagged": sum(1 for r in named_impostors if flagged_as(r, "impersonation")),
        "impostors_unnamed_flagged_unlicensed": sum(
            1 for r in impostors if r not in named and flagged_as(r, "unlicensed_advertising")
        ),
        "profiles_mixing_recruiters": {str(p): sorted(rs) for p, rs in mixed.items()},
    }


def ratios(figures: dict[str, Any]) -> dict[str, float]:
    def share(part: int, whole: int) -> float:
        return round(part / whole, 4) if whole else 1.0

    return {
        "unregistered_flagged_as_one": share(
            figures["unregistered_flagged_as_one_recruiter"], figures["unregistered_advertisers"]
        ),
        "inactive_flagged": share(figures["inactive_flagged"], figures["inactive_advertisers"]),
        "active_wrongly_flagged": share(
            len(figures["active_wrongly_flagged"]), figures["active_advertisers"]
        ),
        "impostors_flagged": share(figures["impostors_flagged"], figures["impostors_named_in_ads"]),
    }


def importable_registry(path: Path) -> tuple[bytes, list[dict[str, Any]]]:
    """The register without the rows the importer refuses (the dev file has two expired licences
    whose ``valid_until`` is before ``valid_from``), and those refusals."""
    from registry.services.registry_csv import parse_registry_csv

    data = path.read_bytes()
    errors = parse_registry_csv(data).errors
    bad = {e["line"] for e in errors}
    lines = data.decode("utf-8-sig").splitlines(keepends=True)
    kept = [line for number, line in enumerate(lines, start=1) if number not in bad]
    return "".join(kept).encode(), errors


async def _main(feeds_dir: Path, registry_csv: Path) -> dict[str, Any]:
    from jobs.feed_formats import parse_feed
    from registry.database import engine, is_postgres, migrate
    from registry.services import licences

    await migrate()
    if is_postgres():
        await engine().start_connection_pool()
    try:
        data, refused = importable_registry(registry_csv)
        for error in refused:
            print(f"registry line {error['line']} skipped: {error['column']} {error['reason']}")
        await licences.import_registry(data, actor="eval")
        truth = json.loads((feeds_dir / "truth.json").read_text(encoding="utf-8"))
        names = list(truth["feeds"])
        expected = sum(len(parse_feed((feeds_dir / n).read_bytes())) for n in names)
        with serve_directory(feeds_dir) as base:
            scans = await scan_feeds(base, names)
        figures = await measure(truth, expected)
        return {"scans": scans, "figures": figures, "ratios": ratios(figures)}
    finally:
        if is_postgres():
            await engine().close_connection_pool()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=Path, default=DEV / "feeds")
    parser.add_argument("--registry", type=Path, default=DEV / "registry" / "dev_registry.csv")
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="rw-eval-feeds-")
    os.environ["RECRUITWATCH_DATABASE_URL"] = args.database_url or f"sqlite:///{tmp}/eval.db"
    os.environ["RECRUITWATCH_ALLOW_PRIVATE_FEEDS"] = "true"
    os.environ.setdefault("PICCOLO_CONF", "registry.piccolo_conf")
    sys.path.insert(0, str(ROOT))
    report = asyncio.run(_main(args.feeds, args.registry))
    for scan in report["scans"]:
        print(
            f"feed {scan['feed_id']}: {scan['outcome']:<12} fetched {scan['fetched']:>4}  "
            f"new {scan['new_ads']:>4}  reposts {scan['reposts']:>3}  "
            f"flags opened {scan['flags_opened']:>3}  {scan['error']}"
        )
    print(json.dumps(report["figures"], ensure_ascii=False, indent=2))
    print(json.dumps(report["ratios"], indent=2))


if __name__ == "__main__":
    main()
