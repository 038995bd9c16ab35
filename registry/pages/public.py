"""The worker's pages: lookup, complaint form, reference code, status, language switch.

Public, small and script-free: they must work on a cheap phone over a slow connection. Nothing a
complainant wrote or how to reach them ever appears here; only counts and statuses.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from babel.numbers import format_decimal
from litestar import Request, Response, get, post
from litestar.datastructures import Cookie
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from registry.i18n import LANGUAGES, N_, babel_locale
from registry.pages.common import LANGUAGE_COOKIE, render, safe_next, see_other
from registry.services import complaints, lookup
from registry.services.errors import InvalidInput, NotFound
from registry.settings import get_settings

__all__ = ("PUBLIC_ROUTES",)

PUBLIC = {"public": True}
COUNTRIES = ("KZ", "KG", "UZ", "TJ", "RU")
"""Where workers come from and go to; the form offers these first."""

INDICATOR_QUESTIONS = {
    "deception": N_("Were you lied to about the job, the pay, the conditions or the country?"),
    "document_retention": N_(
        "Did someone take your passport or other documents and not give them back?"
    ),
    "withheld_wages": N_("Were your wages not paid, paid late, or cut for no reason?"),
    "debt_bondage": N_(
        "Were you told you owe a debt (for the trip, the job or housing) that you must work off?"
    ),
    "restricted_movement": N_(
        "Were you locked in, or not allowed to leave the workplace or housing?"
    ),
    "isolation": N_("Were you kept away from other people, or was your phone taken?"),
    "violence": N_("Were you or others beaten, hurt or sexually abused?"),
    "threats": N_(
        "Were you threatened with violence, the police, deportation or harm to your family?"
    ),
    "abuse_of_vulnerability": N_(
        "Did someone take advantage of your lack of documents, money or language?"
    ),
    "abusive_conditions": N_("Were the work or living conditions dangerous or degrading?"),
    "excessive_overtime": N_("Were you made to work very long hours or without days off?"),
}
assert tuple(sorted(INDICATOR_QUESTIONS)) == tuple(sorted(complaints.INDICATORS))

COMPLAINT_FIELDS = (
    "recruiter_name",
    "recruiter_phone",
    "description",
    "origin_country",
    "destination_country",
    "sector",
    "contact",
)
FIELD_PROBLEMS = {
    "recruiter_name": N_("Give the recruiter's name or phone number (or both)."),
    "recruiter_phone": N_("This does not look like a phone number. Check the digits."),
    "description": N_("Tell us briefly what happened."),
    "indicators": N_("Choose only from the questions shown."),
    "origin_country": N_("Choose a country from the list."),
    "destination_country": N_("Choose a country from the list."),
    "sector": N_("This answer is too long."),
    "contact": N_("This answer is too long."),
}


def hotlines() -> list[dict[str, str]]:
    """Help lines from settings (``label: number``), with a dialable ``tel:`` form."""
    lines = []
    for entry in get_settings().hotlines:
        label, _, number = entry.rpartition(":") if ":" in entry else ("", "", entry)
        number = number.strip()
        dial = "".join(c for c in number if c.isdigit() or c == "+")
        lines.append({"label": label.strip(), "number": number, "tel": dial})
    return lines


def countries() -> list[tuple[str, str]]:
    names = babel_locale().territories
    return [(code, names.get(code, code)) for code in COUNTRIES]


def _lookup_error(query: str, limit: int) -> tuple[str, dict[str, Any]]:
    if len(query) > limit:
        return (
            N_(
                "The text is %(length)s characters long; we can check up to %(limit)s. Nothing "
                "was checked. Remove the parts without names or phone numbers and try again."
            ),
            {
                "length": format_decimal(len(query), locale=babel_locale()),
                "limit": format_decimal(lookup.MAX_AD, locale=babel_locale()),
            },
        )
    return N_("Type a name, a phone number or a licence number, or paste the ad."), {}


async def _lookup_page(query: str, limit: int) -> Template:
    result = None
    error = None
    error_args: dict[str, Any] = {}
    if query:
        try:
            result = await lookup.lookup(query, max_length=limit)
        except InvalidInput:
            error, error_args = _lookup_error(query, limit)
    return render(
        "lookup.html",
        status_code=400 if error else 200,
        q=query,
        result=result,
        error=error,
        error_args=error_args,
        hotlines=hotlines(),
        max_query=lookup.MAX_QUERY,
        max_ad=lookup.MAX_AD,
        counts=_count_rules(),
        # After a POST the URL has no query: the language switcher brings a short one back.
        switch_next="/?" + urlencode({"q": query}) if 0 < len(query) <= lookup.MAX_QUERY else "/",
    )


def _count_rules() -> dict[str, Any]:
    settings = get_settings()
    return {
        "hours": round(settings.public_report_delay_hours),
        "min": settings.public_complaints_min,
    }


@get("/", opt=PUBLIC, name="lookup_page")
async def lookup_page(q: FromQuery[str | None] = None) -> Template:
    """The contract's ``GET /``: one box, and the verdict first in plain words when a query was sent.

    A query in the URL is a link someone shared; it may be as long as a pasted ad (the page's
    own form posts long texts), so the page takes up to ``MAX_AD`` here too.
    """
    return await _lookup_page((q or "").strip(), lookup.MAX_AD)


@post("/", opt=PUBLIC, name="lookup_post")
async def lookup_post(request: Request[Any, Any, Any]) -> Template:
    """The form's way in: a pasted ad is too long for a URL. A lookup changes nothing, so it needs
    no CSRF token (and the worker's page sets no cookie)."""
    form = await request.form()
    return await _lookup_page(str(form.get("q") or "").strip(), lookup.MAX_AD)


def _complaint_form(
    values: dict[str, Any], problems: dict[str, str] | None = None, status_code: int = 200
) -> Template:
    values = {**dict.fromkeys(COMPLAINT_FIELDS, ""), "indicators": [], **values}
    return render(
        "complaint.html",
        status_code=status_code,
        values=values,
        problems=problems or {},
        questions=INDICATOR_QUESTIONS,
        countries=countries(),
        hotlines=hotlines(),
    )


@get("/complaint", opt=PUBLIC, name="complaint_form")
async def complaint_form(
    name: FromQuery[str | None] = None, phone: FromQuery[str | None] = None
) -> Template:
    """The form, pre-filled with the recruiter a lookup was about."""
    return _complaint_form(
        {"recruiter_name": (name or "")[:300], "recruiter_phone": (phone or "")[:64]}
    )


@post("/complaint", opt={**PUBLIC, "strip_nul": True}, name="complaint_submit")
async def complaint_submit(request: Request[Any, Any, Any]) -> Response[Any]:
    """File the complaint, then send the browser to its reference code (post, redirect, get)."""
    form = await request.form()
    values = {key: str(form.get(key) or "") for key in COMPLAINT_FIELDS}
    indicators = [str(v) for v in form.getall("indicators", [])]
    values["indicators"] = indicators
    try:
        filed = await complaints.file_complaint(
            complaints.ComplaintInput(**{**values, "indicators": list(indicators)})
        )
    except InvalidInput as exc:
        problems = {
            d["field"]: FIELD_PROBLEMS.get(d["field"], N_("Check this answer."))
            for d in exc.details
            if isinstance(d, dict) and "field" in d
        }
        return _complaint_form(values, problems, 400)
    return see_other(f"/complaint/filed?ref={filed['reference']}")


@get("/complaint/filed", opt=PUBLIC, name="complaint_filed")
async def complaint_filed(ref: FromQuery[str] = "") -> Template:
    """The reference code, large, with the advice to write it down."""
    try:
        status = await complaints.complaint_status(ref[:32])
    except NotFound:
        return render("status.html", status_code=404, ref=ref[:32], status=None, not_found=True)
    return render("complaint_filed.html", status=status, hotlines=hotlines())


@get("/status", opt=PUBLIC, name="status_page")
async def status_page(ref: FromQuery[str | None] = None) -> Template:
    """A complaint's status by its reference: the status and date, nothing more."""
    reference = (ref or "").strip()[:32]
    if not reference:
        return render("status.html", ref="", status=None, not_found=False)
    try:
        status = await complaints.complaint_status(reference)
    except NotFound:
        return render("status.html", status_code=404, ref=reference, status=None, not_found=True)
    return render("status.html", ref=reference, status=status, not_found=False)


@get("/lang/{code:str}", opt=PUBLIC, name="choose_language")
async def choose_language(code: FromPath[str], next: FromQuery[str | None] = None) -> Redirect:
    """The switcher: remember the choice for a year, then go back to the page it was made on."""
    target = safe_next(next)
    if code not in LANGUAGES:
        return Redirect(path=target, status_code=303)
    return Redirect(
        path=target,
        status_code=303,
        cookies=[
            Cookie(
                key=LANGUAGE_COOKIE,
                value=code,
                max_age=365 * 24 * 3600,
                samesite="lax",
                httponly=True,
            )
        ],
    )


PUBLIC_ROUTES: list[Any] = [
    lookup_page,
    lookup_post,
    complaint_form,
    complaint_submit,
    complaint_filed,
    status_page,
    choose_language,
]
