"""Attributing a batch of sightings at once gives what attributing them one by one gives."""

from __future__ import annotations

from typing import Any

import pytest

from registry.database import write_transaction
from registry.services.attribution import Attribution, Sighting, attribute, attribute_many
from registry.services.profile_names import profile_names
from registry.services.profiles import PROFILE_LOCK, live_profile_id, split_profile
from registry.tables import Mention, ProfileName, ProfilePhone, RecruiterProfile
from tests.integration.conftest import empty_database
from tests.integration.feed_fixtures import import_csv

REGISTER = (
    "KZ-2024-00001,ТОО «Ала Тоо Групп»,,company,KZ,active,2024-01-01,2030-12-31,+77011234567,,\n"
    "KG-2023-00002,ОсОО «Береке Стафф»,,company,KG,revoked,2023-01-01,2030-12-31,+996555000111,,\n"
)


def _ad(name: str, *phones: str) -> Sighting:
    return Sighting(source="ad", name=name, phone_readings=tuple((p,) for p in phones))


SIGHTINGS = [
    _ad("ТОО «Ала Тоо Групп»", "+77011234567"),  # the holder, name and phone
    _ad("Ала Тоо Групп"),  # the holder by name alone
    _ad("ТОО «Ала Тоо Групп»", "+77019999999"),  # the holder's name with another phone
    _ad("", "+996555000111"),  # a revoked holder by phone alone
    _ad("Нурлан Ахметов", "+996555111222"),  # unregistered A
    _ad("Ахметов Нурлан", "+996555333444"),  # A's name with a second phone
    _ad("", "+996555333444", "+996700555666"),  # A's phone with a third
    _ad("Бекзат Исаев", "+996700777888"),  # unregistered B
    _ad("Бекзат Исаев"),  # B by name alone
    _ad("", "+996700777888", "+996555111222"),  # B's phone with A's: one recruiter after all
    _ad("Бекзат Исаев", "+996700999000"),  # B's name after the merge, with a new phone
    Sighting("complaint", "Айгуль", (("+996777000111",),)),  # a lone given name
    Sighting("complaint", "Айгуль", (("+996777000222",),)),  # never joined on it
    _ad("Иссык-Куль Шанырак Консалтинг", "+996701000001"),
    _ad("Иссык-Кцль Шанырак Консалтинг"),  # a typo in a short part, no phone: joins
    _ad("Иссык-Кцль Шанырак Консалтинг", "+996701000002"),  # that spelling is known now: joins
    _ad("Иссык-Кфль Шанырак Консалтинг", "+996701000003"),  # another typo, phones on both: apart
    _ad("", "+998921234567"),  # a phone written with its country code
    Sighting("ad", "", (("+992921234567", "+998921234567"),)),  # written without: the known one
]


async def _outcome(results: list[Attribution]) -> dict[str, Any]:
    """Who is who, in terms that do not depend on ids: sightings grouped by live profile."""
    live = [await live_profile_id(r.profile_id) for r in results]
    first_of: dict[int, int] = {}
    for i, pid in enumerate(live):
        first_of.setdefault(pid, i)
    phones: dict[int, set[str]] = {}
    for row in await ProfilePhone.select(ProfilePhone.profile, ProfilePhone.phone):
        phones.setdefault(first_of.get(row["profile"], -1), set()).add(row["phone"])
    names: dict[int, set[str]] = {}
    for row in await ProfileName.select(ProfileName.profile, ProfileName.name_key):
        names.setdefault(first_of.get(row["profile"], -1), set()).add(row["name_key"])
    mentions: dict[int, int] = {}
    for row in await Mention.select(Mention.profile):
        group = first_of.get(await live_profile_id(row["profile"]), -1)
        mentions[group] = mentions.get(group, 0) + 1
    return {
        "groups": [first_of[pid] for pid in live],
        "answers": [(r.licence_number, r.claimed_licence, r.phones) for r in results],
        "phones": phones,
        "names": names,
        "mentions": mentions,
        "live_profiles": await RecruiterProfile.count().where(
            RecruiterProfile.merged_into.is_null()
        ),
    }


async def test_a_batch_is_attributed_as_one_sighting_after_another() -> None:
    await import_csv(REGISTER)
    one_by_one = []
    for sighting in SIGHTINGS:
        async with write_transaction(lock=PROFILE_LOCK):
            one_by_one.append(await attribute(sighting))
    expected = await _outcome(one_by_one)

    await empty_database()
    await import_csv(REGISTER)
    async with write_transaction(lock=PROFILE_LOCK):
        batch = await attribute_many(SIGHTINGS)
    assert await _outcome(batch) == expected

    groups = expected["groups"]
    answers = expected["answers"]
    assert groups[0] == groups[1]
    assert answers[0][0] == answers[1][0] == "KZ-2024-00001"
    assert groups[2] != groups[0], "the holder's name with other phones is an impostor"
    assert answers[2][:2] == (None, "KZ-2024-00001")
    assert answers[3][0] == "KG-2023-00002"
    assert groups[4] == groups[5] == groups[6] == groups[7] == groups[8] == groups[9] == groups[10]
    assert groups[11] != groups[12]
    assert groups[13] == groups[14] == groups[15] != groups[16]
    assert groups[17] == groups[18]


async def _attribute_then_fail() -> None:
    async with write_transaction(lock=PROFILE_LOCK):
        await attribute(_ad("Нурлан Ахметов", "+996555111222"))
        assert profile_names.matching_rows("Ахметов Нурлан")
        raise RuntimeError("the caller failed after attributing")


async def test_profile_names_written_by_a_failed_transaction_are_forgotten() -> None:
    with pytest.raises(RuntimeError, match="failed after attributing"):
        await _attribute_then_fail()
    await profile_names.refresh()
    assert profile_names.matching_rows("Ахметов Нурлан") == []
    async with write_transaction(lock=PROFILE_LOCK):
        again = await attribute(_ad("Ахметов Нурлан", "+996555333444"))
        assert (await attribute(_ad("Нурлан Ахметов"))).profile_id == again.profile_id


async def test_a_name_split_off_a_licence_holder_groups_later_sightings() -> None:
    await import_csv(REGISTER)
    async with write_transaction(lock=PROFILE_LOCK):
        # someone uses the holder's phone under a person's name
        holder = await attribute(_ad("Нурлан Ахметов", "+77011234567"))
    assert holder.licence_number == "KZ-2024-00001"
    split_off = await split_profile(
        holder.profile_id, phones=[], names=["Нурлан Ахметов"], actor="inspector"
    )
    async with write_transaction(lock=PROFILE_LOCK):
        later = await attribute(_ad("Ахметов Нурлан", "+996555111222"))
    assert later.profile_id == split_off


async def test_a_given_name_with_an_honorific_does_not_group_two_phones() -> None:
    async with write_transaction(lock=PROFILE_LOCK):
        first = await attribute(_ad("Нурлан аке", "+996555111222"))
        second = await attribute(_ad("Нурлан аке", "+996700333444"))
        again = await attribute(_ad("Nurlan ake", "+996555111222"))
    assert first.profile_id != second.profile_id, "two men called Nurlan are two recruiters"
    assert again.profile_id == first.profile_id, "the phone still groups"
