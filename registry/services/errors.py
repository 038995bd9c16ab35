"""Errors a service raises for a caller's mistake; entry points turn them into 4xx or a CLI message."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ("Conflict", "Forbidden", "InvalidInput", "NotFound", "ServiceError", "Unauthorized")


@dataclass
class ServiceError(Exception):
    message: str
    details: list[dict[str, Any]] = field(default_factory=list)
    status_code: int = 400

    def __str__(self) -> str:
        return self.message


class InvalidInput(ServiceError):
    """The input is malformed; ``details`` lists each problem."""


class NotFound(ServiceError):
    def __init__(self, message: str) -> None:
        super().__init__(message, [], 404)


class Conflict(ServiceError):
    def __init__(self, message: str) -> None:
        super().__init__(message, [], 409)


class Unauthorized(ServiceError):
    def __init__(self, message: str = "Sign in first.") -> None:
        super().__init__(message, [], 401)


class Forbidden(ServiceError):
    def __init__(self, message: str = "Your role may not do this.") -> None:
        super().__init__(message, [], 403)
