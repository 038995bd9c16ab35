from __future__ import annotations

from litestar import get
from litestar.exceptions import HTTPException

from registry.tables import RegistryState


@get("/health")
async def health() -> dict[str, str]:
    """200 once the database answers."""
    try:
        await RegistryState.count()
    except Exception as exc:  # any driver error means "not healthy", never a traceback
        raise HTTPException(status_code=503, detail="The database does not answer.") from exc
    return {"status": "ok"}
