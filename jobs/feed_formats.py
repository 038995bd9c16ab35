"""Turn the bytes of a job-ad feed into plain ``FeedItem``s, whatever form the board publishes.

Boards in the region publish RSS (every version), Atom, JSON Feed, HTML pages with schema.org
``JobPosting`` JSON-LD, or spreadsheet exports as CSV, often in cp1251 with no charset declared.
The scan only needs, per ad: a stable id, text to read and whatever the board states in
structured fields about who posted it (organisation, phone, contact person), because structured
fields are better evidence of the recruiter than names guessed from free text. This module does
no I/O and knows nothing about the database.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from typing import Any

import feedparser
from selectolax.lexbor import LexborHTMLParser

from registry.codes import FeedFormat, values

__all__ = (
    "FORMATS",
    "FeedFormatError",
    "FeedItem",
    "decode_text",
    "detect_format",
    "html_to_text",
    "parse_feed",
)

FORMATS = values(FeedFormat)


@dataclass(frozen=True)
class FeedItem:
    external_id: str
    """The board's id for the ad (guid, id, identifier), else its URL, else ''."""
    url: str
    title: str
    text: str
    """Plain text: HTML reduced to text, entities decoded, whitespace collapsed."""
    published_at: datetime | None
    """UTC-aware."""
    organisation_names: tuple[str, ...] = ()
    """Who the board says posted or hires, from structured fields only."""
    phones_raw: tuple[str, ...] = ()
    """Phones from structured fields, as written."""
    contact_names: tuple[str, ...] = ()
    """Contact persons from structured fields."""


class FeedFormatError(Exception):
    """The content is not a feed this module can read; the message says why in one sentence."""


# ---------------------------------------------------------------------------------------------
# Text decoding and HTML reduction

_CHARSET_IN_CONTENT_TYPE = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_CHARSET_IN_DOCUMENT = re.compile(
    rb"""<\?xml[^>]*?encoding\s*=\s*["']([\w.:-]+)["']"""
    rb"""|<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""",
    re.IGNORECASE,
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(body: bytes, content_type: str = "") -> str:
    """Decode by BOM, then the declared charset (HTTP, then the document), then UTF-8, then
    cp1251, the usual undeclared encoding of Cyrillic text in the region."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return body[len(bom) :].decode(encoding, errors="replace")
    for encoding in _declared_charsets(body, content_type):
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1251", errors="replace")


def _declared_charsets(body: bytes, content_type: str) -> Iterator[str]:
    header = _CHARSET_IN_CONTENT_TYPE.search(content_type)
    if header:
        yield header.group(1)
    in_document = _CHARSET_IN_DOCUMENT.search(body[:2048])
    if in_document:
        yield (in_document.group(1) or in_document.group(2)).decode("ascii")


_BLOCK_TAG = re.compile(
    r"<(/?)(p|div|br|hr|li|ul|ol|dl|dt|dd|h[1-6]|tr|td|th|table|section|article|header|footer"
    r"|blockquote|pre|address|figure|figcaption|main|aside|nav)\b",
    re.IGNORECASE,
)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_WHITESPACE = re.compile(r"\s+")
_LOOKS_LIKE_HTML = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|&(?:#\d+|#x[0-9a-f]+|\w+);")


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment or page: scripts and styles dropped, block boundaries kept
    as spaces, entities decoded, whitespace collapsed."""
    if "<" in html or "&" in html:
        tree = LexborHTMLParser(_BLOCK_TAG.sub(r" <\1\2", html))
        tree.strip_tags(["script", "style", "noscript", "template", "head"])
        root = tree.body or tree.root
        html = root.text(deep=True, separator="") if root is not None else ""
    return collapse_whitespace(html)


def collapse_whitespace(text: str) -> str:
    return _WHITESPACE.sub(" ", text.translate(_INVISIBLE)).strip()


def _text_of(value: str, is_html: bool | None = None) -> str:
    """Plain text of a field that may or may not hold HTML; when unknown, guess from its look.
    Descriptions escaped twice (``&lt;p&gt;``) are reduced twice."""
    if is_html is None:
        is_html = bool(_LOOKS_LIKE_HTML.search(value))
    if not is_html:
        return collapse_whitespace(value)
    text = html_to_text(value)
    if _LOOKS_LIKE_HTML.search(text) and re.search(r"</?(?:p|br|div|li|b|strong)\b", text, re.I):
        text = html_to_text(text)
    return text


# ---------------------------------------------------------------------------------------------
# Detection

_XML_PREAMBLE = re.compile(r"\A(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*", re.DOTALL)
_ROOT_TAG = re.compile(r"<([\w.:-]+)")
_LD_JSON_SCRIPT = re.compile(r"<script[^>]+application/ld\+json", re.IGNORECASE)
_JSONFEED_VERSION = re.compile(r"^https?://jsonfeed\.org/version/1(\.\d+)?/?$")


def detect_format(body: bytes, content_type: str = "") -> str:
    """One of rss, atom, jsonfeed, jsonld, csv, judged from the content, which boards label less
    reliably than they write it (the content type only decodes and explains); raises
    ``FeedFormatError`` when it is none of them."""
    text = decode_text(body, content_type).lstrip("\ufeff")
    stripped = text.lstrip()
    if not stripped:
        raise FeedFormatError("The feed is empty.")
    if stripped[0] in "{[":
        return _detect_json(stripped)
    if stripped[0] == "<":
        return _detect_markup(stripped)
    if _csv_header(text) is not None:
        return "csv"
    mime = content_type.split(";", 1)[0].strip().lower()
    raise FeedFormatError(
        f"The content is not a recognised feed (RSS, Atom, JSON Feed, JSON-LD or CSV)"
        f"{f'; it was served as {mime}' if mime else ''}."
    )


def _detect_json(text: str) -> str:
    try:
        document = json.loads(text, strict=False)
    except ValueError:
        raise FeedFormatError("The content looks like JSON but is not valid JSON.") from None
    if isinstance(document, dict) and _JSONFEED_VERSION.match(str(document.get("version", ""))):
        return "jsonfeed"
    if _job_postings(document):
        return "jsonld"
    raise FeedFormatError("The JSON is neither a JSON Feed nor schema.org JobPosting data.")


def _detect_markup(text: str) -> str:
    head = text[:4096]
    preamble = _XML_PREAMBLE.match(head)
    root = _ROOT_TAG.match(head, preamble.end() if preamble else 0)
    name = root.group(1).lower().rsplit(":", 1)[-1] if root else ""
    if name in ("rss", "rdf", "channel"):
        return "rss"
    if name == "feed":
        return "atom"
    if _LD_JSON_SCRIPT.search(text):
        return "jsonld"
    if name in ("html", "head", "body") or re.search(r"<html\b", head, re.IGNORECASE):
        raise FeedFormatError("The page is HTML without any schema.org JSON-LD job postings.")
    raise FeedFormatError(f"The XML root element <{name or '?'}> is not RSS or Atom.")


# ---------------------------------------------------------------------------------------------
# Parsing


def parse_feed(body: bytes, format: str = "auto", content_type: str = "") -> list[FeedItem]:
    """The ads in a feed, in document order. ``format='auto'`` detects it from the content."""
    if format not in FORMATS:
        raise FeedFormatError(f"The feed format {format!r} is unknown; use one of {FORMATS}.")
    if format == "auto":
        format = detect_format(body, content_type)
    parsers = {
        "rss": _parse_syndication,
        "atom": _parse_syndication,
        "jsonfeed": _parse_json_feed,
        "jsonld": _parse_json_ld,
        "csv": _parse_csv,
    }
    return parsers[format](decode_text(body, content_type).lstrip("\ufeff"))


# RSS and Atom ---------------------------------------------------------------------------------

_XML_DECLARATION_ENCODING = re.compile(r"(<\?xml[^>]*?encoding\s*=\s*)([\"'])[\w.:-]+\2")


def _parse_syndication(text: str) -> list[FeedItem]:
    """RSS 0.9x/1.0/2.0 and Atom through feedparser, fed UTF-8 we decoded ourselves (so an
    undeclared cp1251 feed reads right) and as a stream: given bytes, feedparser would try to
    open them as a file name."""
    data = _XML_DECLARATION_ENCODING.sub(r"\1\2utf-8\2", text, count=1).encode("utf-8")
    parsed = feedparser.parse(
        io.BytesIO(data), response_headers={"content-type": "application/xml; charset=utf-8"}
    )
    if not parsed.entries and not parsed.version:
        reason = getattr(parsed.get("bozo_exception"), "getMessage", lambda: "")()
        raise FeedFormatError(
            "The content is not a readable RSS or Atom feed" + (f" ({reason})." if reason else ".")
        )
    return [_syndication_item(entry) for entry in parsed.entries]


def _syndication_item(entry: Any) -> FeedItem:
    url = _http_url(entry.get("link"))
    organisations, phones, contacts = _structured_people(_flat_extras(entry))
    return FeedItem(
        external_id=str(entry.get("id", "") or url).strip(),
        url=url,
        title=_detail_text(entry, "title"),
        text=_entry_body(entry),
        published_at=_struct_time(
            entry.get("published_parsed")
            or entry.get("updated_parsed")
            or entry.get("created_parsed")
        ),
        organisation_names=_unique([*_entry_authors(entry), *organisations]),
        phones_raw=_unique(phones),
        contact_names=_unique(contacts),
    )


def _detail_text(entry: Any, key: str) -> str:
    detail = entry.get(f"{key}_detail") or {}
    return _text_of(str(entry.get(key, "") or ""), _is_html_type(detail.get("type")))


def _is_html_type(mime: str | None) -> bool | None:
    if not mime:
        return None
    return "html" in mime


def _entry_body(entry: Any) -> str:
    """The fullest body an entry has: Atom content, else the RSS description or summary."""
    for content in entry.get("content") or ():
        value = str(content.get("value", "") or "")
        if value.strip():
            return _text_of(value, _is_html_type(content.get("type")))
    return _detail_text(entry, "summary")


def _entry_authors(entry: Any) -> list[str]:
    names = [str(a.get("name", "")) for a in entry.get("authors") or () if isinstance(a, dict)]
    if not any(names) and entry.get("author"):
        names.append(_without_email(str(entry["author"])))
    return [n for n in (collapse_whitespace(n) for n in names) if n and "@" not in n]


def _without_email(author: str) -> str:
    """RSS ``<author>`` is 'mail@host (Name)'; the name is what identifies the poster."""
    match = re.search(r"\(([^()]+)\)", author)
    return match.group(1) if match else author


_FEEDPARSER_KNOWN = frozenset(
    {
        "title",
        "title_detail",
        "link",
        "links",
        "id",
        "guidislink",
        "summary",
        "summary_detail",
        "content",
        "published",
        "published_parsed",
        "updated",
        "updated_parsed",
        "created",
        "created_parsed",
        "authors",
        "author",
        "author_detail",
        "tags",
        "comments",
        "enclosures",
    }
)


def _flat_extras(entry: Any) -> dict[str, str]:
    """Extension elements feedparser keeps as plain strings (``<job:company>`` -> ``job_company``),
    keyed by their local name, so boards' own company/phone elements are read too."""
    extras: dict[str, str] = {}
    for key, value in entry.items():
        if key in _FEEDPARSER_KNOWN or not isinstance(value, str):
            continue
        extras.setdefault(key.rsplit("_", 1)[-1] if "_" in key else key, value)
        extras.setdefault(key, value)
    return extras


def _struct_time(value: Any) -> datetime | None:
    if not value:
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (TypeError, ValueError):
        return None


# JSON Feed ------------------------------------------------------------------------------------


def _parse_json_feed(text: str) -> list[FeedItem]:
    document = _load_json(text)
    if not isinstance(document, dict) or not _JSONFEED_VERSION.match(
        str(document.get("version", ""))
    ):
        raise FeedFormatError("The JSON is not a JSON Feed (no jsonfeed.org version).")
    items = document.get("items")
    if not isinstance(items, list):
        raise FeedFormatError("The JSON Feed has no list of items.")
    return [_json_feed_item(item) for item in items if isinstance(item, dict)]


def _load_json(text: str) -> Any:
    try:
        return json.loads(text, strict=False)
    except ValueError:
        raise FeedFormatError("The content is not valid JSON.") from None


def _json_feed_item(item: Mapping[str, Any]) -> FeedItem:
    url = _http_url(item.get("url") or item.get("external_url"))
    extension_fields: dict[str, Any] = {}
    for key, value in item.items():
        if key.startswith("_") and isinstance(value, dict):
            extension_fields.update(value)
    organisations, phones, contacts = _structured_people(extension_fields)
    authors = item.get("authors") or ([item["author"]] if item.get("author") else [])
    return FeedItem(
        external_id=_string(item.get("id")) or url,
        url=url,
        title=_text_of(_string(item.get("title"))),
        text=_json_feed_text(item),
        published_at=parse_date(_string(item.get("date_published") or item.get("date_modified"))),
        organisation_names=_unique([*_names_of(authors), *organisations]),
        phones_raw=_unique(phones),
        contact_names=_unique(contacts),
    )


def _json_feed_text(item: Mapping[str, Any]) -> str:
    if _string(item.get("content_text")):
        return collapse_whitespace(_string(item.get("content_text")))
    if _string(item.get("content_html")):
        return _text_of(_string(item.get("content_html")), is_html=True)
    return _text_of(_string(item.get("summary")))


# JSON-LD JobPosting ---------------------------------------------------------------------------


def _parse_json_ld(text: str) -> list[FeedItem]:
    """JobPostings in a page's ``application/ld+json`` scripts, or in a bare JSON-LD document:
    single objects, lists, ``@graph`` and ItemLists alike, ``@id`` references resolved."""
    documents = [_load_json(text)] if text.lstrip()[:1] in ("{", "[") else _ld_scripts(text)
    postings = [p for document in documents for p in _job_postings(document)]
    index = {}
    for document in documents:
        index.update(_nodes_by_id(document))
    return [_job_posting_item(posting, index) for posting in postings]


def _ld_scripts(html: str) -> list[Any]:
    tree = LexborHTMLParser(html)
    scripts = [
        node.text(deep=True)
        for node in tree.css("script")
        if (node.attributes.get("type") or "").strip().lower().startswith("application/ld+json")
    ]
    documents = []
    for script in scripts:
        try:
            documents.append(json.loads(_unwrap_script(script), strict=False))
        except ValueError:
            continue  # one broken script must not hide the others
    if scripts and not documents:
        raise FeedFormatError("None of the page's JSON-LD scripts is valid JSON.")
    return documents


def _unwrap_script(script: str) -> str:
    text = script.strip()
    for wrapper in ("<!--", "-->", "//<![CDATA[", "//]]>", "<![CDATA[", "]]>"):
        text = text.replace(wrapper, "")
    return text.strip()


def _type_names(node: Mapping[str, Any]) -> set[str]:
    types = node.get("@type", ())
    types = [types] if isinstance(types, str) else types
    return {str(t).rsplit("/", 1)[-1].rsplit(":", 1)[-1] for t in types if isinstance(t, str)}


def _job_postings(document: Any, depth: int = 0) -> list[Mapping[str, Any]]:
    """Every JobPosting object anywhere in a JSON-LD document, without descending into one."""
    if depth > 12:
        return []
    if isinstance(document, list):
        return [p for node in document for p in _job_postings(node, depth + 1)]
    if not isinstance(document, dict):
        return []
    if "JobPosting" in _type_names(document):
        return [document]
    return [p for value in document.values() for p in _job_postings(value, depth + 1)]


def _nodes_by_id(document: Any, depth: int = 0) -> dict[str, Mapping[str, Any]]:
    found: dict[str, Mapping[str, Any]] = {}
    if depth > 12:
        return found
    children: Iterable[Any] = ()
    if isinstance(document, list):
        children = document
    elif isinstance(document, dict):
        if isinstance(document.get("@id"), str) and len(document) > 1:
            found[document["@id"]] = document
        children = document.values()
    for child in children:
        found.update(_nodes_by_id(child, depth + 1))
    return found


def _job_posting_item(
    posting: Mapping[str, Any], index: Mapping[str, Mapping[str, Any]]
) -> FeedItem:
    url = _http_url(posting.get("url"))
    organisations = _resolved(posting.get("hiringOrganization"), index)
    contacts = _resolved(posting.get("applicationContact"), index)
    org_contacts = [
        point for org in organisations for point in _resolved(org.get("contactPoint"), index)
    ]
    return FeedItem(
        external_id=_identifier(posting.get("identifier")) or url,
        url=url,
        title=_text_of(_string(posting.get("title") or posting.get("name"))),
        text=_text_of(_string(posting.get("description"))),
        published_at=parse_date(_string(posting.get("datePosted"))),
        organisation_names=_unique(_names_of(organisations)),
        phones_raw=_unique(
            _string(node.get("telephone")) for node in [*contacts, *organisations, *org_contacts]
        ),
        contact_names=_unique(_names_of(contacts)),
    )


def _resolved(value: Any, index: Mapping[str, Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """A property's objects, with ``{"@id": ...}`` references looked up and plain strings taken
    as names."""
    values = value if isinstance(value, list) else [value]
    nodes: list[Mapping[str, Any]] = []
    for node in values:
        if isinstance(node, str) and node.strip():
            nodes.append({"name": node})
        elif isinstance(node, dict):
            reference = node.get("@id")
            nodes.append(index.get(reference, node) if isinstance(reference, str) else node)
    return nodes


def _identifier(value: Any) -> str:
    """schema.org identifiers come as text, numbers, PropertyValues or lists of those."""
    if isinstance(value, list):
        return next((i for i in map(_identifier, value) if i), "")
    if isinstance(value, dict):
        return _string(value.get("value") or value.get("@id") or value.get("name"))
    return _string(value)


# CSV ------------------------------------------------------------------------------------------

_CSV_COLUMNS: dict[str, frozenset[str]] = {
    "id": frozenset({"id", "guid", "uid", "ad_id", "external_id", "identifier", "item_id"}),
    "url": frozenset({"url", "link", "href", "ad_url", "permalink", "ссылка"}),
    "title": frozenset({"title", "headline", "subject", "position", "заголовок", "вакансия"}),
    "text": frozenset(
        {
            "description",
            "text",
            "body",
            "content",
            "summary",
            "details",
            "message",
            "описание",
            "текст",
        }
    ),
    "date": frozenset(
        {
            "date",
            "published",
            "published_at",
            "pubdate",
            "date_published",
            "posted",
            "posted_at",
            "created",
            "created_at",
            "datetime",
            "date_posted",
            "дата",
        }
    ),
    "organisation": frozenset(
        {
            "company",
            "organisation",
            "organization",
            "recruiter",
            "employer",
            "agency",
            "company_name",
            "recruiter_name",
            "employer_name",
            "agency_name",
            "hiring_organization",
            "hiringorganization",
            "author",
            "poster",
            "компания",
            "работодатель",
            "организация",
            "агентство",
        }
    ),
    "phone": frozenset(
        {
            "phone",
            "phones",
            "telephone",
            "tel",
            "phone_number",
            "mobile",
            "whatsapp",
            "contact_phone",
            "телефон",
        }
    ),
    "contact": frozenset(
        {
            "contact",
            "contacts",
            "contact_name",
            "contact_person",
            "person",
            "контакт",
            "контактное_лицо",
        }
    ),
}
_CSV_CONTENT_COLUMNS = ("id", "url", "title", "text")
_DELIMITERS = (",", ";", "\t")


def _column_key(name: str) -> str:
    return re.sub(r"[\s\-.]+", "_", name.strip().strip("\ufeff").lower()).strip("_")


def _csv_header(text: str) -> tuple[str, dict[str, int]] | None:
    """The delimiter and the recognised columns, if the first line is a usable CSV header."""
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(_DELIMITERS, key=first_line.count)
    if first_line.count(delimiter) == 0 and _column_key(first_line) not in _CSV_COLUMNS["text"]:
        return None
    header = next(csv.reader([first_line], delimiter=delimiter))
    columns: dict[str, int] = {}
    for position, name in enumerate(header):
        key = _column_key(name)
        for field, names in _CSV_COLUMNS.items():
            if key in names:
                columns.setdefault(field, position)
    if not any(field in columns for field in _CSV_CONTENT_COLUMNS):
        return None
    return delimiter, columns


def _parse_csv(text: str) -> list[FeedItem]:
    header = _csv_header(text)
    if header is None:
        raise FeedFormatError(
            "The CSV has no header row naming its columns (e.g. id, url, title, description)."
        )
    delimiter, columns = header
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        next(reader)
        return [_csv_item(row, columns) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise FeedFormatError(f"The CSV cannot be read ({exc}).") from None


def _csv_item(row: list[str], columns: Mapping[str, int]) -> FeedItem:
    def cell(field: str) -> str:
        position = columns.get(field)
        return row[position].strip() if position is not None and position < len(row) else ""

    contact_values = _split_cell(cell("contact"), r"[|;\n]")
    phones_in_contact = [v for v in contact_values if _looks_like_phone(v)]
    url = _http_url(cell("url"))
    return FeedItem(
        external_id=cell("id") or url,
        url=url,
        title=_text_of(cell("title")),
        text=_text_of(cell("text")),
        published_at=parse_date(cell("date")),
        organisation_names=_unique(_split_cell(cell("organisation"), r"\|")),
        phones_raw=_unique([*_split_cell(cell("phone"), r"[|;,\n]"), *phones_in_contact]),
        contact_names=_unique(v for v in contact_values if v not in phones_in_contact),
    )


def _split_cell(value: str, separators: str) -> list[str]:
    return [part.strip() for part in re.split(separators, value) if part.strip()]


def _looks_like_phone(value: str) -> bool:
    digits = sum(c.isdigit() for c in value)
    return digits >= 6 and digits >= len(re.sub(r"[\s()+\-.]", "", value)) * 0.6


# Shared field helpers -------------------------------------------------------------------------

_STRUCTURED_KEYS = {
    "organisation": _CSV_COLUMNS["organisation"] - {"author", "poster"},
    "phone": _CSV_COLUMNS["phone"],
    "contact": _CSV_COLUMNS["contact"] - {"contacts"},
}


def _structured_people(fields: Mapping[str, Any]) -> tuple[list[str], list[str], list[str]]:
    """Organisation names, phones and contact names found under well-known keys of a
    board's own extension fields."""
    found: dict[str, list[str]] = {"organisation": [], "phone": [], "contact": []}
    for key, value in fields.items():
        normalised = _column_key(str(key))
        for field, names in _STRUCTURED_KEYS.items():
            if normalised in names:
                found[field].extend(_names_of(value if isinstance(value, list) else [value]))
    phones_as_contact = [name for name in found["contact"] if _looks_like_phone(name)]
    contacts = [name for name in found["contact"] if name not in phones_as_contact]
    return found["organisation"], [*found["phone"], *phones_as_contact], contacts


def _names_of(values: Iterable[Any]) -> list[str]:
    names = []
    for value in values:
        if isinstance(value, dict):
            value = value.get("name") or value.get("legalName")
        if isinstance(value, str | int) and not isinstance(value, bool):
            names.append(collapse_whitespace(str(value)))
    return [name for name in names if name]


def _http_url(value: Any) -> str:
    """The value if it is an absolute http(s) URL; feedparser copies a non-URL guid into
    ``link``, and a board's id is no address."""
    text = _string(value)
    return text if re.match(r"https?://", text, re.IGNORECASE) else ""


def _string(value: Any) -> str:
    if value is None or isinstance(value, bool | dict | list):
        return ""
    return str(value).strip()


def _unique(values: Iterable[str]) -> tuple[str, ...]:
    """Non-empty values, whitespace collapsed, first occurrence kept."""
    seen: dict[str, None] = {}
    for value in values:
        cleaned = collapse_whitespace(value)
        if cleaned:
            seen.setdefault(cleaned, None)
    return tuple(seen)


_DAY_FIRST_FORMATS = ("%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M", "%d.%m.%Y", "%d/%m/%Y")


def parse_date(value: str) -> datetime | None:
    """A UTC-aware datetime from ISO 8601, RFC 2822 or day-first dates; naive times count as
    UTC; None when unreadable."""
    value = value.strip()
    if not value:
        return None
    parsed = _parse_iso(value) or _parse_rfc2822(value) or _parse_day_first(value)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _parse_iso(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        pass
    try:
        return datetime.combine(date.fromisoformat(value[:10]), datetime.min.time())
    except ValueError:
        return None


def _parse_rfc2822(value: str) -> datetime | None:
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def _parse_day_first(value: str) -> datetime | None:
    for pattern in _DAY_FIRST_FORMATS:
        try:
            return datetime.strptime(value, pattern)  # naive; made UTC by the caller
        except ValueError:
            continue
    return None
