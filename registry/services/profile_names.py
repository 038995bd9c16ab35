"""The names seen for unregistered recruiters, indexed with the same matcher as the register.

So that 'Жумшаев Нурик', 'Жумашев Нурик' and 'Zhumashev Nurik' in three complaints find one profile
with the same precision rules that keep 'Ахметов Нурлан' and 'Ахметов Ерлан' apart. Rows are only
ever added (merges move them, which the lookup of their current profile follows), so each process
folds in the rows past the highest id it has seen; callers hold the profiles lock.
"""

from __future__ import annotations

from matching import RegistryIndex, RegistryRecord, normalise_name
from matching.compare import is_person_name
from matching.tokens import is_lexicon_word
from registry.tables import ProfileName

__all__ = ("ProfileNameIndex", "profile_names")


class _ObservedNames(RegistryIndex):
    """Names as complainants and ads spell them: their typo variants are not distinct vocabulary.

    The register's own words count as known (two registered words are two names); here only the
    lexicon's words do, or 'Жумшаев' and 'Жумашев', both seen, could never meet.
    """

    def _known(self, token: str) -> bool:
        return is_lexicon_word(token)


class ProfileNameIndex:
    def __init__(self) -> None:
        self.index = _ObservedNames()
        self.last_id = 0

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    async def refresh(self) -> None:
        rows = (
            await ProfileName.select(ProfileName.id, ProfileName.name)
            .where(ProfileName.id > self.last_id)
            .order_by(ProfileName.id)
        )
        for row in rows:
            self.index.upsert(
                RegistryRecord(
                    record_id=str(row["id"]),
                    names=(row["name"],),
                    phones=(),
                    licence_key="",
                    kind="",
                    country="",
                )
            )
            self.last_id = row["id"]

    async def same_name_rows(self, name: str) -> list[int]:
        """ProfileName ids whose name is confidently the same as ``name``."""
        await self.refresh()
        return [int(rid) for rid, comparison in self.index.search_name(name) if comparison.same]


def is_person(name: str) -> bool:
    return is_person_name(normalise_name(name))


profile_names = ProfileNameIndex()
