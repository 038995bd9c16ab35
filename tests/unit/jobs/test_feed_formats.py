"""Feed detection and parsing: the four sample boards, and small feeds in every other shape."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobs.feed_formats import (
    FeedFormatError,
    FeedItem,
    decode_text,
    detect_format,
    html_to_text,
    parse_feed,
)

FEEDS = Path(__file__).parents[2] / "data" / "feeds"
TRUTH = {ad["id"]: ad for ad in json.loads((FEEDS / "truth.json").read_text("utf-8"))["ads"]}
SAMPLES = {
    "board1.rss": ("rss", 62),
    "board2.atom": ("atom", 62),
    "board3.json": ("jsonfeed", 62),
    "board4.html": ("jsonld", 61),
}


def sample(name: str) -> list[FeedItem]:
    return parse_feed((FEEDS / name).read_bytes())


def ad_id(item: FeedItem) -> str:
    return item.external_id.removeprefix("urn:ad:")


def last_digits(phone: str) -> str:
    return re.sub(r"\D", "", phone)[-9:]


# --- the sample boards ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "expected"), SAMPLES.items())
def test_sample_feed_format_is_detected(name: str, expected: tuple[str, int]) -> None:
    assert detect_format((FEEDS / name).read_bytes()) == expected[0]


@pytest.mark.parametrize(("name", "expected"), SAMPLES.items())
def test_sample_feed_yields_every_ad_once_with_id_url_and_date(
    name: str, expected: tuple[str, int]
) -> None:
    items = sample(name)

    assert len(items) == expected[1]
    assert len({item.external_id for item in items}) == len(items)
    for item in items:
        assert ad_id(item) in TRUTH
        assert item.url == f"https://jobs.example.test/ads/{ad_id(item)}"
        assert item.title
        assert item.published_at is not None
        assert item.published_at.tzinfo is not None
        assert item.published_at.utcoffset().total_seconds() == 0


def test_the_four_samples_together_hold_exactly_the_ads_of_the_truth_file() -> None:
    ids = [ad_id(item) for name in SAMPLES for item in sample(name)]

    assert sorted(ids) == sorted(TRUTH)


def test_rss_and_atom_html_bodies_are_reduced_to_text() -> None:
    rss = {item.external_id: item for item in sample("board1.rss")}
    atom = {ad_id(item): item for item in sample("board2.atom")}

    assert rss["ad-0061"].text == "Жумуш бар! айдоочулар, Туркестан. Тел: 87050259689"
    assert atom["ad-0214"].text.startswith("Вакансия: строители. Место работы: Алматы.")
    assert atom["ad-0233"].title == "Ishga taklif: cho'ponlar, Туркестан"
    for item in [*rss.values(), *atom.values()]:
        assert "<" not in item.text
        assert "&lt;" not in item.text
        assert "&#x27;" not in item.title


def test_rss_dates_are_utc() -> None:
    first = sample("board1.rss")[0]

    assert first.published_at == datetime(2026, 11, 14, 13, 0, tzinfo=UTC)


def test_json_feed_items_carry_content_text_and_dates() -> None:
    items = {item.external_id: item for item in sample("board3.json")}

    assert items["ad-0116"].text.endswith("Звонить Medvedev Aydar 8-702-124-22-62")
    assert items["ad-0116"].published_at == datetime(2026, 11, 12, 4, 0, tzinfo=UTC)


def test_json_ld_structured_phones_and_organisations_come_through() -> None:
    items = {item.external_id: item for item in sample("board4.html")}

    assert items["ad-0207"].organisation_names == ("Канат байке",)
    assert items["ad-0207"].phones_raw == ("+998 33 809 41 61",)
    assert items["ad-0207"].contact_names == ()
    assert items["ad-0201"].organisation_names == ("«Береке Рекрутинг»",)
    assert items["ad-0201"].phones_raw == ()
    assert items["ad-0202"].organisation_names == ()
    assert items["ad-0202"].published_at == datetime(2026, 11, 19, tzinfo=UTC)
    assert sum(1 for item in items.values() if item.organisation_names) == 29
    assert sum(1 for item in items.values() if item.phones_raw) == 40


def test_json_ld_structured_fields_agree_with_the_truth_file() -> None:
    for item in sample("board4.html"):
        truth = TRUTH[item.external_id]
        for phone in item.phones_raw:
            assert last_digits(phone) == last_digits(truth["phone"])
        for name in item.organisation_names:
            assert name.strip("«»") == truth["name"].strip("«»")


# --- small inline feeds -----------------------------------------------------------------------

RSS_091 = b"""<?xml version="1.0" encoding="ISO-8859-1"?>
<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN"
  "http://my.netscape.com/publish/formats/rss-0.91.dtd">
<rss version="0.91"><channel><title>Old board</title><link>https://old.example.test/</link>
<description>d</description><language>en</language>
<item><title>Cooks wanted</title><link>https://old.example.test/ads/1</link>
<description>Cooks &amp;amp; cleaners, call +7 701 000 11 22</description></item>
</channel></rss>"""

RSS_10 = """<?xml version="1.0" encoding="utf-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example.test/"><title>RDF board</title>
<link>https://rdf.example.test/</link><description>d</description></channel>
<item rdf:about="https://rdf.example.test/ads/7"><title>Швеи</title>
<link>https://rdf.example.test/ads/7</link>
<description>Требуются швеи, тел. 0555 123 456</description>
<dc:date>2026-11-02T10:00:00+06:00</dc:date><dc:creator>ОсОО «Бирлик Стафф»</dc:creator></item>
</rdf:RDF>""".encode()

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom board</title><id>urn:b</id>
<updated>2026-11-01T00:00:00Z</updated>
<entry><id>urn:ad:1</id><title type="html">Повара &amp;amp; официанты</title>
<link href="https://atom.example.test/ads/1"/><published>2026-11-01T09:30:00+05:00</published>
<author><name>ТОО «Жаксылык Агро»</name></author>
<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Работа&#160;в
  Алматы.</p><ul><li>жильё</li><li>питание</li></ul></div></content></entry>
</feed>""".encode()

JSON_FEED_10 = json.dumps(
    {
        "version": "https://jsonfeed.org/version/1",
        "title": "Board",
        "author": {"name": "The board itself"},
        "items": [
            {
                "id": 17,
                "url": "https://jf.example.test/17",
                "title": "Сварщики",
                "content_html": "<p>Сварщики в <b>Астану</b>.</p><p>Тел: 8 701 555 44 33</p>",
                "date_published": "2026-11-03T08:00:00Z",
                "author": {"name": "Skill Way Consulting"},
                "_job": {"phone": "+7 701 555 44 33", "contact_name": "Айгерим"},
            },
            {"id": "no-url", "summary": "Only a summary", "title": "T"},
        ],
    }
).encode()

JSON_LD_GRAPH = """<!doctype html><html><head>
<script type="application/ld+json">
{"@context": "https://schema.org", "@graph": [
  {"@type": "Organization", "@id": "#org", "name": "Golden Work Travel",
   "contactPoint": {"@type": "ContactPoint", "telephone": "+996 555 12 34 56"}},
  {"@type": "WebPage", "@id": "#page", "name": "Jobs"},
  {"@type": "ItemList", "itemListElement": [
    {"@type": "ListItem", "position": 1, "item": {
      "@type": "JobPosting", "title": "Грузчики",
      "description": "&lt;p&gt;Грузчики,&nbsp;склад&lt;/p&gt;",
      "identifier": {"@type": "PropertyValue", "name": "board", "value": "gx-1"},
      "url": "https://ld.example.test/gx-1", "datePosted": "2026-11-05T12:00:00+03:00",
      "hiringOrganization": {"@id": "#org"},
      "applicationContact": {"@type": "ContactPoint", "name": "Нурлан",
                             "telephone": "0555 12 34 56"}}},
    {"@type": "ListItem", "position": 2, "item": {
      "@type": ["JobPosting"], "title": "Швеи", "description": "Швеи\\nв цех",
      "url": "https://ld.example.test/gx-2", "hiringOrganization": "ИП Ахметов Нурлан"}}
  ]}
]}
</script>
<script type="application/ld+json">{ this is not json }</script>
</head><body><p>page</p></body></html>""".encode()


def test_rss_091_is_read() -> None:
    [item] = parse_feed(RSS_091)

    assert detect_format(RSS_091) == "rss"
    assert item.title == "Cooks wanted"
    assert item.url == item.external_id == "https://old.example.test/ads/1"
    assert item.text == "Cooks & cleaners, call +7 701 000 11 22"
    assert item.published_at is None


def test_rss_10_rdf_is_read_with_dc_date_and_creator() -> None:
    [item] = parse_feed(RSS_10)

    assert detect_format(RSS_10) == "rss"
    assert item.external_id == "https://rdf.example.test/ads/7"
    assert item.published_at == datetime(2026, 11, 2, 4, 0, tzinfo=UTC)
    assert item.organisation_names == ("ОсОО «Бирлик Стафф»",)


def test_atom_xhtml_content_and_author() -> None:
    [item] = parse_feed(ATOM, "atom")

    assert item.external_id == "urn:ad:1"
    assert item.title == "Повара & официанты"
    assert item.text == "Работа в Алматы. жильё питание"
    assert item.published_at == datetime(2026, 11, 1, 4, 30, tzinfo=UTC)
    assert item.organisation_names == ("ТОО «Жаксылык Агро»",)


def test_rss_author_email_extension_company_and_phone_elements() -> None:
    body = b"""<?xml version="1.0"?><rss version="2.0" xmlns:job="http://example.test/job">
    <channel><title>t</title><item><title>x</title><guid isPermaLink="false">42</guid>
    <author>hr@bereke.test (Bereke HR)</author><job:company>TOO Bereke</job:company>
    <job:phone>+7 701 111 2233</job:phone><description>text</description></item>
    </channel></rss>"""

    [item] = parse_feed(body)

    assert item.external_id == "42"
    assert item.url == ""
    assert item.organisation_names == ("Bereke HR", "TOO Bereke")
    assert item.phones_raw == ("+7 701 111 2233",)


def test_json_feed_10_html_content_author_and_extension() -> None:
    first, second = parse_feed(JSON_FEED_10)

    assert detect_format(JSON_FEED_10) == "jsonfeed"
    assert first.external_id == "17"
    assert first.text == "Сварщики в Астану. Тел: 8 701 555 44 33"
    assert first.published_at == datetime(2026, 11, 3, 8, 0, tzinfo=UTC)
    assert first.organisation_names == ("Skill Way Consulting",)
    assert first.phones_raw == ("+7 701 555 44 33",)
    assert first.contact_names == ("Айгерим",)
    assert (second.external_id, second.url, second.text) == ("no-url", "", "Only a summary")


def test_json_ld_graph_item_list_references_and_escaped_html() -> None:
    first, second = parse_feed(JSON_LD_GRAPH)

    assert detect_format(JSON_LD_GRAPH) == "jsonld"
    assert first.external_id == "gx-1"
    assert first.text == "Грузчики, склад"
    assert first.published_at == datetime(2026, 11, 5, 9, 0, tzinfo=UTC)
    assert first.organisation_names == ("Golden Work Travel",)
    assert first.phones_raw == ("0555 12 34 56", "+996 555 12 34 56")
    assert first.contact_names == ("Нурлан",)
    assert second.external_id == "https://ld.example.test/gx-2"
    assert second.text == "Швеи в цех"
    assert second.organisation_names == ("ИП Ахметов Нурлан",)


def test_bare_json_ld_document_is_read() -> None:
    body = json.dumps(
        [{"@context": "https://schema.org", "@type": "JobPosting", "title": "A", "identifier": 5}]
    ).encode()

    assert detect_format(body, "application/ld+json") == "jsonld"
    assert [item.external_id for item in parse_feed(body)] == ["5"]


def test_csv_with_semicolons_bom_and_odd_header_names() -> None:
    body = (
        "\ufeffID;Link;Title;Description;Published;Company;Phone;Contact\r\n"
        'a1;https://csv.example.test/a1;Доярки;"<p>Ферма, &laquo;жильё&raquo;</p>";'
        "05.11.2026 10:00;ТОО «Ордо Агро»;8 701 111 22 33 | +7 702 000 00 00;Ерлан\r\n"
        ";;;;;;;\r\n"
        'a2;;"Швеи; цех";"Две\nстроки";2026-11-06;;;0555 123 456\r\n'
    ).encode()

    first, second = parse_feed(body)

    assert detect_format(body) == "csv"
    assert first.external_id == "a1"
    assert first.text == "Ферма, «жильё»"
    assert first.published_at == datetime(2026, 11, 5, 10, 0, tzinfo=UTC)
    assert first.organisation_names == ("ТОО «Ордо Агро»",)
    assert first.phones_raw == ("8 701 111 22 33", "+7 702 000 00 00")
    assert first.contact_names == ("Ерлан",)
    assert second.title == "Швеи; цех"
    assert second.text == "Две строки"
    assert second.phones_raw == ("0555 123 456",)
    assert second.contact_names == ()


def test_csv_with_tabs_and_recruiter_column() -> None:
    body = b"guid\turl\ttext\trecruiter\ttelephone\nx\thttps://t.test/x\thello\tVatan\t+996 555\n"

    [item] = parse_feed(body, "csv")

    assert (item.external_id, item.text, item.organisation_names) == ("x", "hello", ("Vatan",))


def test_undeclared_cp1251_is_decoded() -> None:
    csv_body = "id,title,company\n1,Требуются грузчики,ТОО «Ақниет»\n".encode("cp1251", "replace")
    rss_body = (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Вакансии</title>'
        "<item><title>Требуются сварщики</title><guid>s1</guid></item></channel></rss>"
    ).encode("cp1251")

    [csv_item] = parse_feed(csv_body)
    [rss_item] = parse_feed(rss_body)

    assert csv_item.title == "Требуются грузчики"
    assert rss_item.title == "Требуются сварщики"


def test_declared_cp1251_is_decoded() -> None:
    body = (
        '<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>t'
        "</title><item><title>Повара</title><guid>p</guid></item></channel></rss>"
    ).encode("cp1251")

    assert parse_feed(body)[0].title == "Повара"
    assert decode_text("Жумуш".encode("cp1251"), "text/csv; charset=windows-1251") == "Жумуш"


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n ",
        b"\x00\x01\x02 binary \xff\xfe garbage",
        b"just some words, nothing else",
        b"<html><body><p>Our jobs page has no structured data</p></body></html>",
        b'{"hello": "world"}',
        b'{"version": "https://jsonfeed.org/version/1.1"',
        b"<?xml version='1.0'?><catalog><book/></catalog>",
    ],
)
def test_garbage_is_a_feed_format_error(body: bytes) -> None:
    with pytest.raises(FeedFormatError):
        parse_feed(body)


def test_a_forced_format_that_does_not_fit_is_an_error() -> None:
    with pytest.raises(FeedFormatError):
        parse_feed(JSON_FEED_10, "rss")
    with pytest.raises(FeedFormatError):
        parse_feed(RSS_091, "jsonfeed")
    with pytest.raises(FeedFormatError):
        parse_feed(RSS_091, "csv")
    with pytest.raises(FeedFormatError):
        parse_feed(RSS_091, "excel")


def test_feedparser_is_never_given_a_file_name(tmp_path: Path) -> None:
    secret = tmp_path / "secret.xml"
    secret.write_text(
        '<rss version="2.0"><channel><item><title>secret</title></item></channel></rss>'
    )

    with pytest.raises(FeedFormatError):
        parse_feed(str(secret).encode(), "rss")


@pytest.mark.parametrize(
    ("html", "text"),
    [
        ("<p>a &amp; b</p><p>c&nbsp;d</p>", "a & b c d"),
        ("<b>Hel</b>lo<br>world", "Hello world"),
        ("<div>x<script>alert(1)</script><style>p{}</style>y</div>", "xy"),
        ("plain   text\n\twith  spaces", "plain text with spaces"),
        ("<ul><li>one</li><li>two</li></ul>", "one two"),
        ("&#1046;&#x443;&#1084;&#1091;&#1096;", "Жумуш"),
        ("zero\u200bwidth", "zerowidth"),
    ],
)
def test_html_to_text(html: str, text: str) -> None:
    assert html_to_text(html) == text
