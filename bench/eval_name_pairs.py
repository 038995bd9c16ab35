"""compare_names on OpenSanctions' labelled name pairs, beside logic-v2's frozen outcomes.

    .venv/bin/python bench/eval_name_pairs.py [--bench DIR] [--errors 30]

Prediction = ``NameComparison.same``. Most names here are Western; our rules are tuned for Central
Asian names and favour precision (near names are not matches).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from matching import compare_names

BENCH = Path("/work/shared/data/external/opensanctions-name-bench")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bench", type=Path, default=BENCH)
    parser.add_argument("--errors", type=int, default=30)
    args = parser.parse_args()
    cases = list(csv.DictReader((args.bench / "cases.csv").open(encoding="utf-8")))
    frozen = list(csv.DictReader((args.bench / "logicv2-frozen.csv").open(encoding="utf-8")))
    # tp fp fn tn per group: ours and logic-v2 on the pairs logic-v2 scored; ours on all cases
    ours: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    ref: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    ours_all: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    errors: list[str] = []

    def count(table: dict[str, list[int]], group: str, pred: bool, truth: bool) -> None:
        for g in (group, "ALL"):
            table[g][0 if pred and truth else 1 if pred else 2 if truth else 3] += 1

    for row in frozen:
        truth = row["is_match"] == "true"
        c = compare_names(row["name1"], row["name2"])
        count(ours, row["case_group"], c.same, truth)
        count(ref, row["case_group"], row["predicted_match"] == "true", truth)
        if c.same != truth:
            errors.append(
                f"{'FP' if c.same else 'FN'} {row['case_group']:18} {row['name1']!r} ~ "
                f"{row['name2']!r} score={c.score} {';'.join(c.reasons)[:80]}"
            )
    for row in cases:
        c = compare_names(row["name1"], row["name2"])
        count(ours_all, row["case_group"], c.same, row["is_match"] == "true")
    print(f"pairs of logicv2-frozen.csv ({len(frozen)}), prediction = NameComparison.same")
    print(
        f"{'group':22}{'n':>5} | {'ours P':>7}{'R':>7}{'F1':>7} | "
        f"{'logic-v2 P':>10}{'R':>7}{'F1':>7}"
    )
    for group in sorted(ours, key=lambda g: (g == "ALL", g)):
        o, t = ours[group], ref[group]
        op, orr, of = prf(o[0], o[1], o[2])
        tp, tr, tf = prf(t[0], t[1], t[2])
        print(f"{group:22}{sum(o):5} | {op:7.3f}{orr:7.3f}{of:7.3f} | {tp:10.3f}{tr:7.3f}{tf:7.3f}")
    a = ours_all["ALL"]
    p, r, f = prf(a[0], a[1], a[2])
    print(f"\nours on all {sum(a)} pairs of cases.csv: P {p:.3f} R {r:.3f} F1 {f:.3f}")
    print(f"\nerrors ({len(errors)}), first {args.errors}:")
    for line in errors[: args.errors]:
        print(" ", line)


if __name__ == "__main__":
    main()
