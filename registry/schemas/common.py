"""Shapes every area shares: a page of items and the JSON error body."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import msgspec

__all__ = ("ErrorBody", "ErrorDetail", "Items", "Page")

T = TypeVar("T")


class Page(msgspec.Struct, Generic[T]):
    """One page of a list: ``total`` counts every item the filters keep, not only this page's."""

    items: list[T]
    total: int


class Items(msgspec.Struct, Generic[T]):
    """A whole, unpaged list (a licence's history, the accounts)."""

    items: list[T]


class ErrorDetail(msgspec.Struct):
    """One problem of a rejected request (a CSV row, a field)."""

    line: int | None = None
    column: str | None = None
    reason: str | None = None
    key: str | None = None
    message: str | None = None
    source: str | None = None


class ErrorBody(msgspec.Struct, omit_defaults=True):
    """Every 4xx and 5xx answer: ``error`` (and ``detail``, the same sentence) says what went wrong."""

    status_code: int
    error: str
    detail: str
    details: list[dict[str, Any]] | None = None
