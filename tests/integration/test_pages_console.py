"""The console over HTTP: sign-in, CSRF, flag review, import, export, profiles; all audited."""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from litestar.testing import AsyncTestClient

from registry.services import audit, complaints
from tests.helpers import TEST_DATA
from tests.integration.feed_fixtures import FeedServer, feed_server
from tests.integration.pages_helpers import csrf_token, load_small_registry, post_form, sign_in

__all__ = ("feed_server",)


async def actions(action: str) -> list[dict[str, Any]]:
    return (await audit.list_audit(action=action))["items"]


async def repeated_complaints_flag(phone: str = "+996 555 123 999") -> int:
    for n in range(3):
        await complaints.file_complaint(
            complaints.ComplaintInput(
                description=f"жалоба {n}", recruiter_phone=phone, contact="secret@contact"
            )
        )
    from registry.services import flags

    found = await flags.list_flags()
    assert found["total"] >= 1
    return int(found["items"][0]["id"])


async def test_console_redirects_to_sign_in(client: AsyncTestClient[Any]) -> None:
    response = await client.get("/console/flags?status=open", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/console/login?next=%2Fconsole%2Fflags%3Fstatus%3Dopen"
    # the API does not accept the console's way in, and the console not a token from a query
    assert (await client.get("/api/v1/flags")).status_code == 401


async def test_sign_in_wrong_password_then_right_then_out(client: AsyncTestClient[Any]) -> None:
    from tests.helpers import make_user

    await make_user("inspector", "regulator")
    wrong = await post_form(
        client,
        "/console/login",
        "/console/login",
        {"username": "inspector", "password": "nope-nope-nope"},
    )
    assert wrong.status_code == 401
    assert "Wrong username or password." in wrong.text or "Неверное" in wrong.text
    await sign_in(client)
    flags_page = await client.get("/console/flags")
    assert flags_page.status_code == 200
    assert "inspector" in flags_page.text
    assert [e["actor"] for e in await actions("login")] == ["inspector"]
    assert await actions("login_failed")
    out = await client.post(
        "/console/logout", data={"_csrf_token": csrf_token(flags_page.text)}, follow_redirects=False
    )
    assert out.status_code == 303
    assert (await client.get("/console/flags", follow_redirects=False)).status_code == 303


async def test_session_cookie_is_for_the_console_only(client: AsyncTestClient[Any]) -> None:
    from tests.helpers import make_user

    await make_user("inspector", "regulator")
    await client.get("/console/login")
    page = await client.get("/console/login")
    response = await client.post(
        "/console/login",
        data={
            "username": "inspector",
            "password": "correct horse battery",
            "_csrf_token": csrf_token(page.text),
        },
        follow_redirects=False,
    )
    cookie = response.headers["set-cookie"]
    assert "rw_session=" in cookie
    assert "Path=/console" in cookie
    assert "HttpOnly" in cookie


async def test_console_posts_need_csrf(client: AsyncTestClient[Any]) -> None:
    await sign_in(client)
    flag_id = await repeated_complaints_flag()
    refused = await client.post(
        f"/console/flags/{flag_id}/status",
        data={"status": "dismissed", "note": "x"},
        follow_redirects=False,
    )
    assert refused.status_code == 403
    forged = await client.post(
        f"/console/flags/{flag_id}/status",
        data={"status": "dismissed", "_csrf_token": "forged"},
        follow_redirects=False,
    )
    assert forged.status_code == 403
    from registry.services import flags

    assert (await flags.flag_detail(flag_id))["status"] == "open"


async def test_flag_queue_filters_sorts_and_reviews(client: AsyncTestClient[Any]) -> None:
    await sign_in(client)
    flag_id = await repeated_complaints_flag()
    queue = await client.get(
        "/console/flags",
        params={"reason": "repeated_complaints", "sort": "opened_at", "order": "asc"},
        headers={"Accept-Language": "en"},
    )
    assert f'href="/console/flags/{flag_id}"' in queue.text
    assert "repeated complaints" in queue.text
    empty = await client.get(
        "/console/flags", params={"status": "escalated"}, headers={"Accept-Language": "en"}
    )
    assert f'href="/console/flags/{flag_id}"' not in empty.text
    assert "No flags match." in empty.text

    page = await client.get(f"/console/flags/{flag_id}", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "+996555123999" in page.text  # the recruiter's phone, normalised
    assert "жалоба 0" in page.text  # regulators read complaints
    assert "secret@contact" not in page.text  # but a contact only on purpose
    assert [e["subject_id"] for e in await actions("flag_viewed")] == [str(flag_id)]

    changed = await client.post(
        f"/console/flags/{flag_id}/status",
        data={
            "status": "escalated",
            "note": "передано в полицию",
            "_csrf_token": csrf_token(page.text),
        },
        follow_redirects=False,
    )
    assert changed.status_code == 303
    after = await client.get(changed.headers["location"], headers={"Accept-Language": "en"})
    assert "передано в полицию" in after.text
    assert "Status changed to escalated." in after.text
    logged = await actions("flag_status")
    assert logged[0]["actor"] == "inspector"
    assert logged[0]["detail"] == {"status": "escalated", "note": "передано в полицию"}

    bad = await client.post(
        f"/console/flags/{flag_id}/status",
        data={"status": "burned", "_csrf_token": csrf_token(after.text)},
    )
    assert bad.status_code == 400
    assert "<html" in bad.text


async def test_reading_a_contact_is_deliberate_and_audited(client: AsyncTestClient[Any]) -> None:
    await sign_in(client)
    flag_id = await repeated_complaints_flag()
    page = await client.get(f"/console/flags/{flag_id}")
    reference = re.search(r"/console/complaints/([A-Z0-9-]+)/contact", page.text).group(1)  # type: ignore[union-attr]
    shown = await client.post(
        f"/console/complaints/{reference}/contact",
        data={"_csrf_token": csrf_token(page.text), "back": f"/console/flags/{flag_id}"},
    )
    assert shown.status_code == 200
    assert "secret@contact" in shown.text
    assert [e["subject_id"] for e in await actions("complaint_contact_read")] == [reference]


async def test_flags_csv_export(client: AsyncTestClient[Any]) -> None:
    await sign_in(client)
    flag_id = await repeated_complaints_flag()
    response = await client.get("/console/flags.csv", params={"status": "open"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [int(r["id"]) for r in rows] == [flag_id]
    assert rows[0]["phones"] == "+996555123999"
    assert rows[0]["reasons"] == "repeated_complaints"
    assert (await actions("flags_exported"))[0]["detail"]["rows"] == 1


async def test_import_shows_every_row_error_and_writes_nothing(
    client: AsyncTestClient[Any],
) -> None:
    await sign_in(client)
    data = (TEST_DATA / "registry" / "bad_rows.csv").read_bytes()
    page = await client.get("/console/import")
    response = await client.post(
        "/console/import",
        data={"_csrf_token": csrf_token(page.text)},
        files={"file": ("bad_rows.csv", data, "text/csv")},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    api = await client.post(
        "/api/v1/registry/import",
        content=data,
        headers={"Authorization": f"Bearer {await _token(client)}"},
    )
    details = api.json()["details"]
    assert len(details) >= 4
    table = response.text.split('id="import-errors"', 1)[1]
    for problem in details:
        assert f"<td>{problem['line']}</td><td>{problem['column']}</td>" in table
    registry = await client.get("/console/registry", headers={"Accept-Language": "en"})
    assert "No licences match." in registry.text
    assert not await actions("registry_import")


async def _token(client: AsyncTestClient[Any]) -> str:
    from tests.helpers import token_for

    return await token_for(client, "api-user", "regulator")


async def test_import_then_registry_licence_history_and_status(
    client: AsyncTestClient[Any],
) -> None:
    await sign_in(client)
    page = await client.get("/console/import")
    response = await client.post(
        "/console/import",
        data={"_csrf_token": csrf_token(page.text)},
        files={
            "file": ("small.csv", (TEST_DATA / "registry" / "small.csv").read_bytes(), "text/csv")
        },
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 200, response.text
    assert 'id="import-report"' in response.text
    assert (await actions("registry_import"))[0]["detail"]["filename"] == "small.csv"

    listing = await client.get("/console/registry", params={"q": "Жаксылык"})
    assert "KZ-2024-00002" in listing.text
    licence = await client.get("/console/registry/KZ-2024-00002", headers={"Accept-Language": "en"})
    assert "History" in licence.text
    assert "created" in licence.text
    changed = await client.post(
        "/console/registry/KZ-2024-00002/status",
        data={"status": "suspended", "note": "проверка", "_csrf_token": csrf_token(licence.text)},
        follow_redirects=False,
    )
    assert changed.status_code == 303
    after = await client.get("/console/registry/KZ-2024-00002", headers={"Accept-Language": "en"})
    assert "проверка" in after.text
    assert (await actions("licence_status"))[0]["detail"]["status"] == "suspended"
    lookup = await client.get("/", params={"q": "KZ-2024-00002"})
    assert "v-suspended" in lookup.text


async def test_profiles_merge_and_split(client: AsyncTestClient[Any]) -> None:
    await sign_in(client)
    for phone, name in (
        ("+996 700 100 200", "Бакыт Агентство"),
        ("+996 700 300 400", "Bakyt Agency"),
    ):
        await complaints.file_complaint(
            complaints.ComplaintInput(description="x", recruiter_phone=phone, recruiter_name=name)
        )
    listing = await client.get("/console/profiles", params={"kind": "unregistered"})
    ids = sorted({int(i) for i in re.findall(r'href="/console/profiles/(\d+)"', listing.text)})
    assert len(ids) >= 2
    first, second = ids[0], ids[1]
    page = await client.get(f"/console/profiles/{first}")
    merged = await client.post(
        f"/console/profiles/{first}/merge",
        data={"other": str(second), "_csrf_token": csrf_token(page.text)},
        follow_redirects=False,
    )
    assert merged.status_code == 303
    target = int(merged.headers["location"].rsplit("/", 1)[1])
    detail = await client.get(f"/console/profiles/{target}")
    assert "+996700100200" in detail.text
    assert "+996700300400" in detail.text
    assert (await actions("profiles_merged"))[0]["actor"] == "inspector"

    split = await client.post(
        f"/console/profiles/{target}/split",
        data={"phones": ["+996700300400"], "_csrf_token": csrf_token(detail.text)},
        follow_redirects=False,
    )
    assert split.status_code == 303
    new_page = await client.get(split.headers["location"])
    assert "+996700300400" in new_page.text
    assert (await actions("profile_split"))[0]["detail"]["phones"] == ["+996700300400"]


async def test_dashboard_charts_and_json_twin(client: AsyncTestClient[Any]) -> None:
    await sign_in(client)
    await repeated_complaints_flag()
    page = await client.get("/console/dashboard", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert page.text.count("<svg") >= 3
    assert "Complaints by indicator" in page.text
    data = (await client.get("/console/dashboard.json")).json()
    assert sum(w["total"] for w in data["flags_per_week"]["weeks"]) == 1
    assert data["top_unregistered"][0]["complaints"] == 3
    assert "<script" not in page.text


async def test_feeds_page_answers(client: AsyncTestClient[Any]) -> None:
    await sign_in(client)
    page = await client.get("/console/feeds", headers={"Accept-Language": "en"})
    assert page.status_code == 200
    assert "feeds" in page.text.lower()


async def test_console_pages_in_another_language(client: AsyncTestClient[Any]) -> None:
    await sign_in(client)
    await load_small_registry()
    for url in (
        "/console/flags",
        "/console/registry",
        "/console/import",
        "/console/profiles",
        "/console/dashboard",
        "/console/registry/KZ-2024-00002",
    ):
        response = await client.get(url, headers={"Accept-Language": "kk"})
        assert response.status_code == 200, url
        assert '<html lang="kk">' in response.text
        assert "Сигналдар" in response.text


async def test_feeds_are_added_and_scanned_from_the_console(
    client: AsyncTestClient[Any], feed_server: FeedServer
) -> None:
    await sign_in(client)
    page = await client.get("/console/feeds", headers={"Accept-Language": "en"})
    added = await client.post(
        "/console/feeds",
        data={
            "url": f"{feed_server.base}/board1.rss",
            "name": "Board one",
            "format": "auto",
            "interval_minutes": "30",
            "_csrf_token": csrf_token(page.text),
        },
        follow_redirects=False,
    )
    assert added.status_code == 303
    listing = await client.get("/console/feeds", headers={"Accept-Language": "en"})
    assert "Board one" in listing.text
    feed_id = int(re.search(r'action="/console/feeds/(\d+)/scan"', listing.text).group(1))
    scanned = await client.post(
        f"/console/feeds/{feed_id}/scan",
        data={"_csrf_token": csrf_token(listing.text)},
        follow_redirects=True,
        headers={"Accept-Language": "en"},
    )
    assert scanned.status_code == 200
    assert "62 ads fetched, 62 new" in scanned.text
    assert (await actions("feed_scanned"))[0]["actor"] == "inspector"
    assert (await actions("feed_created"))[0]["detail"]["url"].endswith("/board1.rss")
