"""Run every evaluation and benchmark in turn (about 40 minutes on a 2-core machine).

.venv/bin/python bench/run_all.py [--quick]
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ACCURACY = ["eval_queries.py", "eval_name_pairs.py", "eval_complaints.py", "eval_feeds.py"]
SPEED = ["bench_matching.py", "bench_registry.py", "bench_scan.py"]


def main() -> int:
    scripts = ACCURACY if "--quick" in sys.argv else ACCURACY + SPEED
    failed = 0
    for script in scripts:
        print(f"\n=== {script}", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / script)], check=False).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
