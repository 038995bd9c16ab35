"""The names seen for unregistered recruiters, indexed with the same matcher as the register.

So that 'Жумшаев Нурик', 'Жумашев Нурик' and 'Zhumashev Nurik' in three complaints find one profile
with the same precision rules that keep 'Ахметов Нурлан' and 'Ахметов Ерлан' apart. Rows are only
ever added (merges move them, which the lookup of their current profile follows; a split writes
the names it moves as new rows), so each process folds in the rows past the highest id it has
seen; callers hold the profiles lock. Names seen for licence holders are left out: a name never
groups a sighting with a licence holder (the register decides that), and a scan sees thousands
of them, each of which would empty the index's caches.
"""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from matching import NormalisedName, RegistryIndex, RegistryRecord, normalise_name
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
            await ProfileName.select(
                ProfileName.id,
                ProfileName.name,
                ProfileName.profile.licence_key.as_alias("licence_key"),
            )
            .where(ProfileName.id > self.last_id)
            .order_by(ProfileName.id)
        )
        for row in rows:
            if row["licence_key"] is None:
                self.add(row["id"], row["name"])
            self.last_id = max(self.last_id, row["id"])

    def add(self, row_id: int, name: str) -> None:
        """A row of an unregistered recruiter this process just wrote (inside the profiles lock,
        so no other row is missed)."""
        self.index.upsert(
            RegistryRecord(
                record_id=str(row_id), names=(name,), phones=(), licence_key="", kind="", country=""
            )
        )
        self.last_id = max(self.last_id, row_id)

    def matching_rows(self, name: str) -> list[tuple[int, bool]]:
        """ProfileName ids whose name is the same as ``name``: (id, True) when the matcher is
        confident, (id, False) for a typo in a short part, which may join only where phones
        cannot contradict it. Answers from memory: call ``refresh`` first."""
        query = normalise_name(name)
        found = []
        for rid, comparison in self.index.search_name(name):
            record = self.index.get(rid)
            if comparison.same:
                found.append((int(rid), True))
            elif comparison.similar and record and short_part_typo(query, record.names[0]):
                found.append((int(rid), False))
        return found


def short_part_typo(query: NormalisedName, other_name: str) -> bool:
    """'Иссык-Кцль Шанырак Консалтинг' for 'Иссык-Куль Шанырак Консалтинг': in a name of three or
    more words that otherwise agree word for word, one short part (four letters at most) differs
    by a single letter. The register's lookup stays strict ('Ак Жол' is not 'Ак Кол' there); this
    only lets a complainant's typo find the profile their earlier complaints built."""
    other = normalise_name(other_name)
    if len(query.tokens) < 3 or len(query.tokens) != len(other.tokens):
        return False
    if query.legal_form and other.legal_form and query.legal_form != other.legal_form:
        return False
    left = sorted(set(query.tokens) - set(other.tokens))
    right = sorted(set(other.tokens) - set(query.tokens))
    if len(left) != 1 or len(right) != 1:
        return False
    a, b = left[0], right[0]
    return max(len(a), len(b)) <= 4 and Levenshtein.distance(a, b) == 1


def is_person(name: str) -> bool:
    return is_person_name(normalise_name(name))


profile_names = ProfileNameIndex()
