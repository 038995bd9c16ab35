"""Legal forms, generic descriptors, loanwords and patronymic markers, keyed by skeleton.

These words say what kind of entity a name belongs to, not which one, so they are taken out of the
distinctive tokens. Every spelling of one legal form (any script, abbreviated or spelled out)
maps to one code. Codes and their reading:

* ``llp`` – partnership with limited liability: ТОО / TOO / LLP / ЖШС (Kazakhstan).
* ``llc`` – company with limited liability: ООО / OOO / LLC / ОсОО (KG, RU), МЧЖ / MChJ (UZ),
  ҶДММ (TJ). These are the same kind of entity in different countries.
* ``jsc`` – joint-stock company: АО / JSC / ПАО / ЗАО.
* ``ie`` – individual entrepreneur: ИП / IP / ЖК / ЖИ / СЯ / ЯТТ / YaTT.

``llp``, ``llc`` and ``jsc`` are all companies: a worker who writes ООО for a ТОО has not named a
different intermediary, so only company vs individual entrepreneur counts as incompatible.
"""

from __future__ import annotations

from importlib.resources import files

from .script import skeleton, split_words

__all__ = (
    "BUSINESS_WORDS",
    "COMPANY_FORMS",
    "DESCRIPTOR_PHRASES",
    "GENERIC_WORDS",
    "GIVEN_NAMES",
    "LEGAL_ABBREVIATIONS",
    "LEGAL_PHRASES",
    "NICKNAMES",
    "PATRONYMIC_MARKERS",
    "canonical_word",
    "legal_forms_compatible",
)

COMPANY_FORMS = frozenset({"llp", "llc", "jsc"})


def _skels(text: str) -> tuple[str, ...]:
    return tuple(skeleton(w) for w in split_words(text))


_ABBREVIATIONS = {
    "llp": "ТОО TOO LLP ЖШС JShS ZhShS TOV LP",
    "llc": "ООО OOO LLC ОсОО OsOO ОСОО MChJ MChZh МЧЖ ҶДММ ЧДММ JDMM ChDMM Ltd Limited GmbH Co"
    " SARL SRL",
    "jsc": "АО AO JSC OJSC PJSC CJSC ПАО PAO ЗАО ZAO ОАО OAO AG SA PLC Inc Incorporated Corp"
    " Corporation",
    "ie": "ИП IP ЖК ZhK JK ЖИ ZhI JI СЯ SYa SIa ЯТТ YaTT IaTT ЧП ПБОЮЛ",
}
LEGAL_ABBREVIATIONS: dict[str, str] = {
    skeleton(w): code for code, words in _ABBREVIATIONS.items() for w in words.split()
}

_PHRASES = {
    "llp": [
        "товарищество с ограниченной ответственностью",
        "жауапкершілігі шектеулі серіктестік",
        "limited liability partnership",
    ],
    "llc": [
        "общество с ограниченной ответственностью",
        "жоопкерчилиги чектелген коом",
        "mas'uliyati cheklangan jamiyat",
        "масъулияти чекланган жамият",
        "ҷамъияти дорои масъулияти маҳдуд",
        "limited liability company",
        "limited company",
        "gesellschaft mit beschränkter haftung",
        "sp z o o",
        "sp zoo",
    ],
    "jsc": [
        "акционерное общество",
        "open joint stock company",
        "public joint stock company",
        "closed joint stock company",
        "joint stock company",
        "aksiyadorlik jamiyati",
        "aktiengesellschaft",
        "public limited company",
    ],
    "ie": [
        "индивидуальный предприниматель",
        "individual entrepreneur",
        "individual'nyi predprinimatel'",
        "жеке кәсіпкер",
        "жеке ишкер",
        "yakka tartibdagi tadbirkor",
        "якка тартибдаги тадбиркор",
        "соҳибкори инфиродӣ",
        "sole proprietor",
        "частный предприниматель",
    ],
}
LEGAL_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        ((_skels(p), code) for code, ps in _PHRASES.items() for p in ps),
        key=lambda item: -len(item[0]),
    )
)

_DESCRIPTORS = {
    "employment_agency": [
        "кадровое агентство",
        "recruitment agency",
        "recruiting agency",
        "employment agency",
        "private employment agency",
        "staffing agency",
        "частное агентство занятости",
        "агентство занятости",
        "рекрутинговое агентство",
        "xususiy bandlik agentligi",
        "bandlik agentligi",
        "хусусий бандлик агентлиги",
        "жеке жұмыспен қамту агенттігі",
        "жумушка орноштуруу агенттиги",
    ],
    "labour_resources": ["трудовые ресурсы", "labour resources", "labor resources"],
    "company": ["компания", "company", "фирма", "firm"],
    # "агентство" alone says as little as "компания"
    "agency": ["агентство", "agency", "agentligi", "агентлиги", "агенттігі", "агенттиги"],
    # titles and filler words say nothing about who is meant
    "title": [
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "president",
        "präsident",
        "sheikh",
        "shaikh",
        "господин",
        "госпожа",
        "the",
        "and",
    ],
}
DESCRIPTOR_PHRASES: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    sorted(
        ((_skels(p), code) for code, ps in _DESCRIPTORS.items() for p in ps),
        key=lambda item: -len(item[0]),
    )
)

# English business words that agencies write in Cyrillic (and back). The canonical skeleton is the
# Cyrillic spelling's (second entry): typos are made against the way the word sounds.
_LOANWORDS = [
    "group груп групп grupp grup",
    "service сервис servis servise",
    "travel трэвел тревел трэвэл trevel",
    "way вэй уэй вей vey vei uey",
    "consulting консалтинг konsalting konsulting консултинг",
    "consult консалт konsalt",
    "express экспресс експресс ekspress yekspress экспрес",
    "export экспорт eksport",
    "expert эксперт ekspert",
    "recruiting рекрутинг rekruting рекрутмент rekrutment recruitment",
    "trade трейд treid treyd",
    "line лайн lain layn",
    "plus плюс plius plyus plus",
    "personal персонал personnel",
    "alliance альянс alyans alians aliance",
    "eurasia евразия evraziia evraziya yevraziya eurasia",
    "employment эмплоймент emploiment employment yemployment",
    "management менеджмент menedzhment menejment",
    "business бизнес biznes",
    "center центр tsentr centre",
    "human хьюман hyuman",
    "resource ресурс resurs",
    "team тим tim",
    "prime прайм praim praym",
    "trust траст trast",
    "logistics логистикс logistiks логистик logistik",
    "build билд bild",
    "smart смарт",
    "star стар",
    "job джоб djob",
    "jobs джобс djobs",
    "labour лейбор labor leibor",
    "solutions солюшнс solyushns soliushns",
    "asia азия aziia aziya",
    "maxim максим maksim",
    "lux люкс liuks lyuks",
    "max макс maks",
    "taxi такси taksi",
    "company компани kompani",
    "international интернешнл internešnl internashnl",
    "career карьер karier karyer",
]
_LOAN_MAP: dict[str, str] = {}
for _group in _LOANWORDS:
    _words = _group.split()
    _canon = skeleton(_words[1])
    for _w in _words:
        _LOAN_MAP[skeleton(_w)] = _canon


def _load_given_names() -> frozenset[str]:
    text = files("matching").joinpath("data/given_names.txt").read_text(encoding="utf-8")
    names: set[str] = set()
    for line in text.splitlines():
        if line.startswith("#"):
            continue
        for entry in line.split():
            variants = [skeleton(v) for v in entry.split("/") if v]
            for v in variants[1:]:
                _LOAN_MAP.setdefault(v, variants[0])
            names.add(variants[0])
    return frozenset(names)


GIVEN_NAMES = _load_given_names()
"""Canonical skeletons of common given names (spelling variants mapped to the first)."""


def canonical_word(skel: str) -> str:
    """The canonical skeleton of a loanword spelling, or ``skel`` itself."""
    return _LOAN_MAP.get(skel, skel)


def _load_nicknames() -> frozenset[tuple[str, str]]:
    text = files("matching").joinpath("data/nicknames.txt").read_text(encoding="utf-8")
    pairs: set[tuple[str, str]] = set()
    for line in text.splitlines():
        full, sep, shorts = line.partition(":")
        if line.startswith("#") or not sep:
            continue
        name = canonical_word(skeleton(full.strip()))
        for short in shorts.split():
            nick = canonical_word(skeleton(short))
            if nick != name:
                pairs.update(((name, nick), (nick, name)))
    return frozenset(pairs)


NICKNAMES = _load_nicknames()
"""Pairs (both ways) of a full given name's skeleton and the skeleton of one of its short forms."""


# Patronymic endings and separate markers (skeletons): -ович, -евна, uly, кызы, o'g'li, qizi ...
PATRONYMIC_ENDINGS = ("oviC", "eviC", "ovna", "evna", "iCna", "uli", "ugli", "kizi")
PATRONYMIC_MARKERS = frozenset(
    canonical_word(skeleton(w))
    for w in ["uly", "ulı", "ұлы", "улы", "кызы", "қызы", "qizi", "kizi", "o'g'li", "ugli", "угли"]
)


def _canonical_set(text: str) -> frozenset[str]:
    return frozenset(canonical_word(skeleton(w)) for w in text.split())


# Generic words of company names: they weigh little, and sharing one is no resemblance.
GENERIC_WORDS = _canonical_set(
    """
    агро строй транс инвест профи партнер ворк стафф кадры лайн сервис групп трейд плюс персонал
    консалтинг рекрутинг эмплоймент экспресс глобал мигрант альянс
    bank group holding holdings capital fund trust industries industry international global
    partners services service solutions systems technologies technology energy oil gas trading
    shipping logistics investment investments finance financial insurance securities motors
    motor steel airlines airways enterprises ventures management consulting media network
    """
)

# Common words of company names (after canonicalisation): two different known words are two
# different words, never a typo of each other.
BUSINESS_WORDS = GENERIC_WORDS | frozenset(
    canonical_word(skeleton(w))
    for w in [
        "вектор",
        "меридиан",
        "континент",
        "горизонт",
        "восток",
        "запад",
        "север",
        "юг",
        "азия",
        "евразия",
        "алтын",
        "ак",
        "жол",
        "нур",
        "бирлик",
        "береке",
        "болашак",
        "достар",
        "дустлик",
        "кайнар",
        "камолот",
        "кыран",
        "мерей",
        "мехнат",
        "омад",
        "ордо",
        "самал",
        "ситора",
        "сомон",
        "сункар",
        "табыс",
        "тенгри",
        "ватан",
        "атамекен",
        "байтерек",
        "шанырак",
        "жетысу",
        "сарыарка",
        "алатау",
        "каспий",
        "памир",
        "фергана",
        "самарканд",
        "сырдарья",
        "манас",
        "арман",
        "еркин",
        "асыл",
        "бахор",
        "барака",
        "жаксылык",
        "акниет",
        "истиклол",
        "нурафшон",
        "ынтымак",
        "жулдыз",
        "зарафшан",
        "кыргызстан",
        "казахстан",
        "узбекистан",
        "таджикистан",
        "тянь",
        "шань",
        "иссык",
        "куль",
        "ала",
        "тоо",
        "голден",
        "ред",
        "блю",
        "грин",
        "вайт",
        "стар",
        "смарт",
        "бест",
        "про",
        "макс",
        "гранд",
        "голд",
        "сити",
        "тим",
        "хаус",
        "лэнд",
    ]
)


def legal_forms_compatible(a: str | None, b: str | None) -> bool:
    """False only when both are known and one is a company form, the other not."""
    if a is None or b is None or a == b:
        return True
    return (a in COMPANY_FORMS) == (b in COMPANY_FORMS)
