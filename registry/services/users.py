"""Regulator and admin accounts: argon2id password hashes, nothing reversible."""

from __future__ import annotations

import re
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from registry.codes import Role, values
from registry.database import is_unique_violation, write_transaction
from registry.services.errors import Conflict, InvalidInput
from registry.tables import User

__all__ = ("ROLES", "authenticate", "create_user", "get_user", "list_users", "set_active")

ROLES = values(Role)
_USERNAME = re.compile(r"^[A-Za-z0-9_.@-]{2,150}$")
_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the user does not exist, so a wrong username costs as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


async def create_user(username: str, password: str, role: str) -> dict[str, Any]:
    if not _USERNAME.match(username):
        raise InvalidInput("A username is 2 to 150 letters, digits or . _ @ -.")
    if role not in ROLES:
        raise InvalidInput(f"The role must be one of: {', '.join(ROLES)}.")
    if len(password) < 10:
        raise InvalidInput("A password needs at least 10 characters.")
    if len(password) > 1024:
        raise InvalidInput("A password may have at most 1024 characters.")
    try:
        async with write_transaction():
            if await User.exists().where(User.username == username):
                raise Conflict(f"The user {username!r} exists already.")
            user = User(username=username, password_hash=_hasher.hash(password), role=role)
            await user.save()
    except Exception as exc:
        if is_unique_violation(exc):
            raise Conflict(f"The user {username!r} exists already.") from None
        raise
    return {"id": user.id, "username": username, "role": role}


async def authenticate(username: str, password: str) -> dict[str, Any] | None:
    """The user when the password is right, else None; timing does not reveal which part was wrong."""
    row = await User.select().where(User.username == username).first()
    stored = row["password_hash"] if row else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if row is None or not row["active"]:
        return None
    if _hasher.check_needs_rehash(stored):
        await User.update({User.password_hash: _hasher.hash(password)}).where(User.id == row["id"])
    return {"id": row["id"], "username": row["username"], "role": row["role"]}


async def get_user(username: str) -> dict[str, Any] | None:
    row = (
        await User.select(User.id, User.username, User.role, User.active)
        .where(User.username == username)
        .first()
    )
    return row if row and row["active"] else None


async def list_users() -> list[dict[str, Any]]:
    return await User.select(
        User.id, User.username, User.role, User.active, User.created_at
    ).order_by(User.username)


async def set_active(username: str, active: bool) -> None:
    await User.update({User.active: active}).where(User.username == username)
