"""Complaint linking on the dev sample: file its 208 complaints, then measure the flags against truth.

.venv/bin/python bench/eval_complaints.py
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["RECRUITWATCH_DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/eval.db"


async def main() -> None:
    from registry.database import migrate
    from registry.services import complaints, flags, licences
    from tests.complaint_quality import REGISTRY, complaint_bodies, measure

    await migrate()
    await licences.import_registry(REGISTRY.read_bytes(), actor="eval")
    recruiter_of = {}
    for record in complaint_bodies():
        body = {k: v for k, v in record["body"].items() if v is not None}
        filed = await complaints.file_complaint(complaints.ComplaintInput(**body))
        recruiter_of[filed["reference"]] = record["recruiter"]
    listed = (await flags.list_flags(limit=500))["items"]
    detailed = []
    for flag in listed:
        detail = await flags.flag_detail(flag["id"])
        refs = [c["reference"] for c in detail["complaints"]]
        detailed.append({**flag, "complaint_recruiters": [recruiter_of[r] for r in refs]})
    quality = measure(detailed)
    print(quality.summary())
    for miss in quality.misses:
        print("  missed:", miss)


if __name__ == "__main__":
    asyncio.run(main())
