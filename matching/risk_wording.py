"""Spot ad wording that hints at forced labour, by ILO indicator, in the region's languages.

Recruiters rarely write "we keep your passport" plainly; they write it in Russian, Kyrgyz,
Kazakh, Uzbek (Latin or Cyrillic), Tajik or English, inflected, in any word order, typed on
whatever keyboard was at hand. So text is first folded (case, ё, the Kazakh/Kyrgyz/Tajik/Uzbek
letters to their nearest Russian ones, Latin diacritics, apostrophe variants, Latin look-alikes
inside Cyrillic words) without changing its length, and most rules ask for several stems to
meet within a few words of one sentence rather than for one fixed phrase: a passport stem, a
handing-over or keeping verb, and an employer stem make ``document_retention`` whatever their
order. Negations close to a match ("паспорт не забираем", "без предоплаты") cancel it where that
reverses the meaning, and a few words mark a harmless sense ("пенсионные взносы"). A hit is a
hint for a regulator to read the ad, not a verdict.
"""

from __future__ import annotations

import re
import re._parser as _regex_parser  # re's own parser: what a rule part's matches must hold
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from re._constants import (
    ASSERT,
    ASSERT_NOT,
    AT,
    BRANCH,
    CATEGORY,
    CATEGORY_SPACE,
    CATEGORY_WORD,
    IN,
    LITERAL,
    MAX_REPEAT,
    MIN_REPEAT,
    NEGATE,
    SUBPATTERN,
)
from typing import Any

__all__ = ("INDICATORS", "RiskHit", "find_risk_wording", "fold")

INDICATORS = (
    "abuse_of_vulnerability",
    "deception",
    "restricted_movement",
    "isolation",
    "violence",
    "threats",
    "document_retention",
    "withheld_wages",
    "debt_bondage",
    "abusive_conditions",
    "excessive_overtime",
)


@dataclass(frozen=True)
class RiskHit:
    indicator: str
    """An ILO indicator code."""
    phrase: str
    """The matched words as they appear in the ad."""


# ---------------------------------------------------------------------------------------------
# Folding: same length as the input, so match offsets point into the original text.

_LETTER_FOLDS = str.maketrans(
    {
        "ё": "е",
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "и",
        "ҳ": "х",
        "ҷ": "ч",
        "ӣ": "и",
        "ӯ": "у",
        "ў": "у",
        "ı": "i",
        "ʻ": "'",
        "ʼ": "'",
        "’": "'",
        "‘": "'",
        "`": "'",
        "´": "'",
        "′": "'",
    }
)
_LATIN_LOOKALIKES = str.maketrans("aceopxykmtbh", "асеорхукмтвн")
# a whole word holding both Cyrillic and Latin letters; the lookaheads read each word once,
# where "\w*[а-я]\w*[a-z]\w*" would backtrack through it from every one of its letters
_MIXED_WORD = re.compile(r"\b(?=\w*[а-я])(?=\w*[a-z])\w+")
_CYRILLIC = re.compile(r"[а-я]")
_LATIN = re.compile(r"[a-z]")
_FOLD_CACHE = 8192


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding each character met so far, computed on first sight: an ad
    repeats a few dozen letters many times, and translate looks them up without a Python call."""

    def __missing__(self, code: int) -> str:
        if len(self) >= _FOLD_CACHE:
            self.clear()
        folded = self[code] = _fold_char(chr(code))
        return folded


_FOLDS = _FoldTable()


def fold(text: str) -> str:
    """Lower-cased, letters folded as described above; ``len(fold(t)) == len(t)``."""
    folded = text.translate(_FOLDS)
    if not (_LATIN.search(folded) and _CYRILLIC.search(folded)):
        return folded  # no word can mix the scripts
    return _MIXED_WORD.sub(lambda m: m.group().translate(_LATIN_LOOKALIKES), folded)


def _fold_char(char: str) -> str:
    """One character folded."""
    lower = char.lower()
    char = lower if len(lower) == 1 else char
    if "a" <= unicodedata.normalize("NFD", char)[:1] <= "z":
        char = unicodedata.normalize("NFD", char)[0]
    return char.translate(_LETTER_FOLDS)


# ---------------------------------------------------------------------------------------------
# Vocabulary, written in folded form. Each is a regex alternative; stems end with \w*.


def _any(*alternatives: str) -> str:
    return r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)"


PASSPORT = _any(
    r"паспорт\w*",
    r"загранпаспорт\w*",
    r"pasport\w*",
    r"passports?",
    r"шиносном\w*",
    r"удостоверени\w+\s+личност\w*",
    r"id\s?cards?",
)
DOCUMENTS = _any(
    r"документ\w*",
    r"hujjat\w*",
    r"хужжат\w*",
    r"хуччат\w*",
    r"кужат\w*",
    r"documents?",
    r"papers",
)
HANDOVER_OR_KEEP = _any(
    # ru: hand over, leave, stay, be kept
    r"сда\w*",
    r"отда\w*",
    r"переда\w*",
    r"оставл\w*",
    r"остав(?:ит|ь)\w*",
    r"оста[её]т\w*",
    r"остают\w*",
    r"хран\w*",
    r"наход\w*",
    r"будут?",
    # ky / kk: hand over, give, stays, is kept
    r"тапшыр\w*",
    r"тапсыр\w*",
    r"бер(?:уу|ип|иле|ил|есиз|ет|ем|ишет|у)\w*",
    r"кал(?:ат|ып|ады|ад|а|ды|тыр)\w*",
    r"сакта\w*",
    # uz: hand over, given, stays, kept
    r"topshir\w*",
    r"топшир\w*",
    r"ber(?:iladi|ish|asiz|ing|ib)\w*",
    r"бер(?:илади|иш|асиз|инг)\w*",
    r"qol(?:adi|ib|di)\w*",
    r"кол(?:ади|иб)\w*",
    r"saqla\w*",
    r"сакла\w*",
    # tg: hand over, stays, kept, given
    r"супор\w*",
    r"мемон\w*",
    r"мон(?:ад|д)\w*",
    r"нигох\w*",
    r"дод\w*",
    r"дихед\w*",
    # en
    r"kept",
    r"keep\w*",
    r"held",
    r"hold\w*",
    r"retain\w*",
    r"stay\w*",
    r"remain\w*",
    r"hand\w*",
    r"surrender\w*",
    r"give\w*",
    r"given",
)
_EMPLOYER_WORDS = (
    r"работодател\w*",
    r"хозя\w*",
    r"бригадир\w*",
    r"начальник\w*",
    r"прораб\w*",
    r"руководител\w*",
    r"на\s+хранени\w*",
    r"на\s+весь\s+срок\w*",
    r"до\s+конца\s+\w+",
    r"(?:жумуш|иш)\s+беруучу\w*",
    r"ээсин?\w*",
    r"кожоюн\w*",
    r"жумыс\s+беруши\w*",
    r"кожайын\w*",
    r"ish\s+beruvchi\w*",
    r"иш\s+берувчи\w*",
    r"xo'jayin\w*",
    r"хужайин\w*",
    r"корфармо\w*",
    r"сохибкор\w*",
    r"employers?",
    r"(?:the\s+)?boss",
    r"supervisors?",
)
EMPLOYER = _any(*_EMPLOYER_WORDS)
HOLDER = _any(
    *_EMPLOYER_WORDS,
    r"нам",
    r"у\s+нас",
    r"фирм\w*",
    r"компани\w*",
    r"агентств\w*",
    r"офис\w*",
    r"бизге",
    r"бизде",
    r"bizga",
    r"bizda",
    r"бизга",
    r"бизда",
    r"kompaniya\w*",
    r"ofis\w*",
    r"agentlik\w*",
    r"us",
    r"the\s+company",
    r"the\s+agency",
    r"managers?",
)
TAKE_AWAY = _any(
    r"забира\w*",
    r"забер\w*",
    r"отбира\w*",
    r"изыма\w*",
    r"изым\w*",
    r"удержива\w*",
    r"алып\s+кал\w*",
    r"алын(?:ат|ад)\w*",
    r"olib\s+qo(?:l|'y)\w*",
    r"olin(?:adi|ib)\w*",
    r"олиб\s+ку?(?:л|й)\w*",
    r"олин(?:ади|иб)\w*",
    r"tortib\s+ol\w*",
    r"гирифта\s+\w+",
    r"мегир\w*",
    r"confiscat\w*",
    r"tak(?:e|en)\s+away",
    r"collected",
)

DEBT = _any(
    r"долг\w*",
    r"задолженност\w*",
    r"дорог[уаи]",
    r"проезд\w*",
    r"билет\w*",
    r"перел[её]т\w*",
    r"оформлени\w*",
    r"карыз\w*",
    r"жол\s+(?:акы|кира)\w*",
    r"qarz\w*",
    r"карз\w*",
    r"yo'l\s+(?:haqi|kira)\w*",
    r"йул\s+(?:хаки|кира)\w*",
    r"рохкиро\w*",
    r"debts?",
    r"loans?",
    r"(?:travel|ticket|flight|visa)\w*",
    r"fares?",
)
DEDUCT = _any(
    r"вычт\w*",
    r"вычет\w*",
    r"вычита\w*",
    r"удерж\w*",
    r"отработа(?:ешь|ете|ть|ем|ют|ет|ю)",
    r"погаша\w*",
    r"погас(?:ит|ят|ишь|ите|им)\w*",
    r"возмест\w*",
    r"возмеща\w*",
    r"айлыктан",
    r"эмгек\s+акы(?:дан|сынан)",
    r"карма(?:л|п|й)\w*",
    r"тартып\s+\w+",
    r"жалакы(?:дан|сынан)",
    r"устал\w*",
    r"ушстал\w*",
    r"maosh\w*dan",
    r"oylik\w*dan",
    r"ish\s+haqi\w*dan",
    r"ushla\w*",
    r"маош\w*дан",
    r"ойлик\w*дан",
    r"ушла\w*",
    r"аз\s+(?:музд|маош)\w*",
    r"ситони\w*",
    r"deduct\w*",
    r"repa(?:y|id)\w*",
    r"paid\s+back",
    r"pay\s+back",
    r"work\w*\s+off",
)
FEE_CONTEXT = _any(
    r"трудоустройств\w*",
    r"оформлени\w*",
    r"подбор\w*",
    r"с\s+(?:работник|кандидат|соискател)\w*",
    r"от\s+(?:работник|кандидат|соискател)\w*",
    r"внес(?:ти|ите|ение)",
    r"вносит\w*",
    r"заплат\w*",
    r"оплатит\w*",
    r"платит\w*",
    r"с\s+вас",
    r"вперед",
    r"заранее",
    r"\d+\s*(?:тг|тенге|сом\w*|руб\w*|долл\w*|usd|сум|%)",
    r"\$\s*\d+",
)
FEE_CANCEL = re.compile(
    r"(?<!\w)(?:пенсионн|социальн|соц|страхов|налог|медицинск|мед|опв|осмс|врачебн)\w*"
)
ADVANCE_FEE = _any(
    r"(?:толом|толем|to'lov|тулов|пардохт)\w*\s+(?:алдын\s+ала|oldindan|олдиндан|пешаки)",
    r"(?:алдын\s+ала|oldindan|олдиндан)\s+(?:толом|толем|to'lov|тулов)\w*",
    r"пардохт\w*\s+пешаки",
    r"(?:ишке\s+орноштуруу|жумыска\s+орналастыру|ishga\s+joylash|ишга\s+жойлаш)\w*\s+"
    r"(?:учун\s+|ушин\s+|uchun\s+)?(?:толом|толем|to'lov|тулов|акы|haqi|хаки)\w*",
    r"(?:xizmat|хизмат)\s+(?:haqi|хаки)\w*\s+(?:oldindan|олдиндан)",
    r"(?:оплата|плата)\s+за\s+(?:трудоустройств|подбор|вакансию|место|услуги\s+агентств)\w*",
    r"платн\w+\s+трудоустройств\w*",
    r"(?:recruitment|placement|agency|registration|processing|application)\s+fees?",
    r"pay\s+(?:a\s+|the\s+)?fee",
    r"pay\w*\s+upfront",
    r"upfront\s+(?:fee|payment|deposit)",
)

WAGES = _any(
    r"зарплат\w*",
    r"заработ\w*",
    r"з/п",
    r"зп",
    r"оплат\w*",
    r"расчет\w*",
    r"деньг\w*",
    r"выплат\w*",
    r"айлык\w*",
    r"эмгек\s+акы\w*",
    r"жалакы\w*",
    r"maosh\w*",
    r"oylik\w*",
    r"ish\s+haqi\w*",
    r"маош\w*",
    r"ойлик\w*",
    r"музд\w*",
    r"salary",
    r"salaries",
    r"wages?",
    r"pay",
    r"paid",
)
END_OF = _any(
    r"в\s+конце",
    r"по\s+окончани\w*",
    r"после\s+окончани\w*",
    r"по\s+завершени\w*",
    r"после\s+завершени\w*",
    r"после\s+конца",
    r"по\s+итогам",
    r"только\s+в\s+конце",
    r"аягында",
    r"сонында",
    r"аякта\w*",
    r"oxirida",
    r"охирида",
    r"tugagach",
    r"тугагач",
    r"дар\s+охири",
    r"баъд\s+аз\s+анчом\w*",
    r"at\s+the\s+end",
    r"end\s+of",
)
PERIOD = _any(
    r"сезон\w*",
    r"контракт\w*",
    r"договор\w*",
    r"срок\w*",
    r"урожа\w*",
    r"уборк\w*",
    r"mavsum\w*",
    r"мавсум\w*",
    r"мавсим\w*",
    r"маусым\w*",
    r"hosil\w*",
    r"хосил\w*",
    r"seasons?",
    r"contracts?",
    r"harvest\w*",
)

LEAVING = _any(
    r"выход(?!н)\w*",
    r"выйти",
    r"покида\w*",
    r"покинуть",
    r"уходить",
    r"уйти",
    r"отлуч\w*",
    r"выезд\w*",
    r"выезжа\w*",
    r"в\s+город",
    r"(?:сыртка|тышка|сыртына)\s+чыг\w*",
    r"(?:сыртка|тыска)\s+шыг\w*",
    r"(?:tashqariga|ташкарига)\s+chiq\w*",
    r"chiqish\w*",
    r"чикиш\w*",
    r"баромад\w*",
    r"leav(?:e|ing)",
    r"go\s+out",
    r"going\s+out",
)
LEAVING_CANCEL = re.compile(r"на\s+работу|на\s+смену|нетрезв\w*|курени\w*|алкогол\w*")
FORBIDDEN = _any(
    r"запрещ\w*",
    r"запрет\w*",
    r"нельзя",
    r"не\s+разреша\w*",
    r"не\s+допуска\w*",
    r"только\s+с\s+разрешени\w*",
    r"болбойт",
    r"болмайды",
    r"тыюу\w*",
    r"тыйым\w*",
    r"mumkin\s+emas",
    r"мумкин\s+эмас",
    r"taqiqlan\w*",
    r"такикилан\w*",
    r"манъ\w*",
    r"мамнуъ\w*",
    r"not\s+allowed",
    r"forbidden",
    r"prohibited",
    r"cannot",
    r"can't",
    r"may\s+not",
)

TRAVEL = re.compile(
    r"(?:дорог|езд|ехать|пут|перел|рейс|автобус|поезд|drive|flight|travel|journey|yo'l|жол|йул"
    r"|рох)\w*"
)
NEGATION = re.compile(
    r"(?<!\w)(?:не|ни|нет|без|никак\w*|никогда|бесплатн\w*|not|never|no|without|free|don't|"
    r"won't|doesn't|isn't|aren't|bepul|tekin|бепул|текин|акысыз|тегин|ройгон)(?!\w)"
)


# ---------------------------------------------------------------------------------------------
# Rules


@dataclass(frozen=True)
class _Rule:
    indicator: str
    parts: tuple[re.Pattern[str], ...]
    window: int = 7
    """Most words the matched span may hold."""
    negation: str = "around"
    """Where a negation cancels the hit: 'around' (two words before or inside the span),
    'before' (two words before only, for rules whose own words negate), or 'none'."""
    cancel: re.Pattern[str] | None = None
    """Words that, next to the span, show a harmless sense (pension contributions...)."""


def _rule(
    indicator: str,
    *parts: str,
    window: int = 7,
    negation: str = "around",
    cancel: re.Pattern[str] | None = None,
) -> _Rule:
    return _Rule(indicator, tuple(re.compile(p) for p in parts), window, negation, cancel)


_RULES: tuple[_Rule, ...] = (
    # document_retention
    _rule("document_retention", PASSPORT, HANDOVER_OR_KEEP, HOLDER),
    _rule("document_retention", DOCUMENTS, HANDOVER_OR_KEEP, EMPLOYER),
    _rule("document_retention", PASSPORT, TAKE_AWAY, window=5),
    _rule("document_retention", PASSPORT, _any(r"на\s+хранени\w*", r"for\s+safekeeping"), window=4),
    # debt_bondage: costs advanced by the recruiter and taken back from wages; fees from the
    # worker, which start the same debt
    _rule("debt_bondage", DEBT, DEDUCT, window=6),
    _rule(
        "debt_bondage", _any(r"взнос\w*", r"предоплат\w*"), FEE_CONTEXT, window=5, cancel=FEE_CANCEL
    ),
    _rule(
        "debt_bondage",
        _any(r"комисси\w*"),
        _any(
            r"с\s+(?:работник|кандидат|соискател|вас)\w*",
            r"за\s+трудоустройств\w*",
            r"агентств\w*",
            r"вперед",
            r"заранее",
            r"\d+\s*(?:тг|тенге|сом\w*|руб\w*|долл\w*|%)",
        ),
        window=5,
        cancel=FEE_CANCEL,
    ),
    _rule("debt_bondage", ADVANCE_FEE),
    # abuse_of_vulnerability: workers without papers are sought out because they cannot complain
    _rule(
        "abuse_of_vulnerability",
        _any(
            r"без\s+(?:\w+\s+(?:и\s+)?)?(?:документ|паспорт|патент|регистраци|разрешени|прописк)\w*",
            r"бе\s+(?:хуччат|шиносном|патент|хужжат)\w*",
            r"without\s+(?:\w+\s+)?(?:documents?|papers|permits?|passports?)",
        ),
        negation="before",
    ),
    _rule(
        "abuse_of_vulnerability",
        _any(
            r"no\s+(?:documents?|papers|permits?|passport)(?:\s+(?:needed|required))?",
            r"нелегал\w*",
            r"illegal(?:ly)?",
            r"undocumented",
            r"(?:с\s+)?запрет\w*\s+на\s+въезд\w*",
            r"депортированн\w*",
            r"entry\s+ban\w*",
            r"(?:hujjat|pasport|patent|хужжат|паспорт|патент|документ|кужат|хуччат)"
            r"(?:сиз|сыз|суз|siz)\w*",
        ),
        negation="none",
    ),
    _rule(
        "abuse_of_vulnerability",
        _any(
            r"документ\w*",
            r"паспорт\w*",
            r"патент\w*",
            r"разрешени\w*",
            r"регистраци\w*",
            r"hujjat\w*",
            r"хужжат\w*",
            r"хуччат\w*",
            r"кужат\w*",
            r"pasport\w*",
            r"patent\w*",
            r"шиносном\w*",
            r"documents?",
            r"papers",
            r"permits?",
        ),
        _any(
            r"не\s+(?:нужн|обязательн|требу|важн)\w*",
            r"керек\s+эмес",
            r"shart\s+emas",
            r"kerak\s+emas",
            r"шарт\s+эмас",
            r"керак\s+эмас",
            r"лозим\s+нест",
            r"даркор\s+нест",
            r"not\s+(?:needed|required|necessary)",
        ),
        window=5,
        negation="none",
    ),
    # restricted_movement, isolation
    _rule(
        "restricted_movement", LEAVING, FORBIDDEN, window=6, negation="none", cancel=LEAVING_CANCEL
    ),
    _rule(
        "restricted_movement",
        _any(r"домой", r"на\s+родину", r"home"),
        _any(r"не\s+отпуска\w*", r"не\s+отпуст\w*", r"только\s+после\s+\w+", r"не\s+раньше\s+\w+"),
        window=6,
        negation="none",
    ),
    _rule(
        "restricted_movement",
        _any(
            r"без\s+права\s+(?:выхода|выезда)",
            r"под\s+охран\w*",
            r"confined\s+to\s+\w+",
            r"не\s+выпуска\w*",
        ),
        negation="none",
    ),
    _rule(
        "isolation",
        _any(r"(?:проживание|жить|живут)\s+на\s+(?:объекте|территории|ферме|участке)"),
        LEAVING,
        FORBIDDEN,
        window=10,
        negation="none",
        cancel=LEAVING_CANCEL,
    ),
    _rule(
        "isolation",
        _any(r"телефон\w*", r"мобильн\w*", r"telefon\w*", r"phones?", r"mobiles?"),
        _any(
            TAKE_AWAY,
            r"сда(?:ть|ете|ются|ешь|ем|вать)",
            r"запрещ\w*",
            r"нельзя",
            r"тапшыр\w*",
            r"topshir\w*",
            r"mumkin\s+emas",
            r"not\s+allowed",
            r"forbidden",
        ),
        window=4,
    ),
    _rule(
        "isolation",
        _any(
            r"без\s+связи",
            r"связи\s+нет",
            r"нет\s+связи",
            r"связь\s+отсутству\w*",
            r"байланыш\s+жок",
            r"байланыс\s+жок",
            r"aloqa\s+yo'q",
            r"алока\s+йук",
            r"алока\s+нест",
            r"no\s+(?:phone|mobile)\s+(?:signal|connection|contact)",
            r"no\s+contact\s+with\s+(?:the\s+)?famil\w*",
        ),
        negation="none",
    ),
    # deception: no written terms to hold the recruiter to, or the classic lure
    _rule(
        "deception",
        _any(
            r"без\s+(?:трудового\s+|письменного\s+)?(?:договора|контракта)",
            r"shartnomasiz",
            r"шартномасиз",
            r"келишимсиз",
            r"келисимшартсыз",
            r"without\s+(?:a\s+)?(?:written\s+)?contract",
            r"no\s+(?:written\s+)?contract",
        ),
        negation="before",
    ),
    _rule(
        "deception",
        _any(
            r"(?:легк|прост)\w*\s+работ\w*",
            r"easy\s+(?:work|job|money)",
            r"oson\s+ish\w*",
            r"осон\s+иш\w*",
            r"женил\s+(?:жумуш|жумыс)",
        ),
        _any(
            r"(?:высок|больш|огромн)\w*\s+(?:зарплат|заработ|доход)\w*",
            r"high\s+(?:pay|salary|income|wages?)",
            r"yuqori\s+maosh\w*",
            r"юкори\s+маош\w*",
        ),
        window=8,
    ),
    # threats, violence
    _rule(
        "threats",
        _any(r"(?:сообщ|заяв|сдад|сдаем|позвон)\w*"),
        _any(
            r"в\s+(?:полици|миграционн|мвд|органы|умвд)\w*",
            r"to\s+(?:the\s+)?(?:police|immigration)",
        ),
        window=5,
    ),
    _rule(
        "threats",
        _any(r"штраф\w*", r"fines?", r"jarima\w*", r"жарима\w*", r"айып\w*"),
        _any(
            r"за\s+(?:уход|побег|досрочн|невыход|отказ|прогул)\w*",
            r"(?:for|if\s+you)\s+(?:leav|quit)\w*",
        ),
        window=5,
        negation="none",
    ),
    _rule(
        "violence",
        _any(
            r"(?:физическ|телесн)\w*\s+наказани\w*",
            r"(?:corporal|physical)\s+punishment",
            r"избива\w*",
            r"побои",
        ),
    ),
    # withheld_wages
    _rule("withheld_wages", WAGES, END_OF, PERIOD, window=7),
    _rule(
        "withheld_wages",
        WAGES,
        _any(
            r"через\s+(?:[2-9]|два|три|четыре|пять|шесть|полгода)\s*(?:месяц\w*|мес)",
            r"раз\s+в\s+(?:[2-9]|два|три|четыре|шесть)\s+(?:месяц|мес)\w*",
            r"раз\s+в\s+(?:полгода|сезон|год)\w*",
            r"после\s+уборки\s+урожая",
            r"after\s+(?:the\s+)?(?:season|harvest)",
            r"(?:удержива|задержива)\w*",
            r"held\s+back",
            r"withheld",
        ),
        window=6,
    ),
    # excessive_overtime
    _rule(
        "excessive_overtime",
        r"(?<![\w.,:/])(?<!в\s)(?<!к\s)(?<!до\s)(?<!at\s)(?:1[2-9]|2[0-3])"
        r"(?:\s*[-–—]\s*(?:1[2-9]|2[0-4]))?\s*-?\s*"
        r"(?:час(?:ов|а)?|ч(?=[\s.,;]|$)|саат\w*|сагат\w*|soat\w*|соат\w*|hours?|hrs?)(?!\w)"
        r"(?!\s+(?:езды|пути|лету|перел\w*|от|drive|flight))",
        negation="none",
        cancel=TRAVEL,
    ),
    _rule(
        "excessive_overtime",
        _any(
            r"без\s+выходн\w*",
            r"выходных\s+нет",
            r"выходной\s+не\s+предусм\w*",
            r"без\s+отдыха",
            r"дем\s+алыш\w*\s+жок",
            r"дем\s+алышсыз",
            r"демалыссыз",
            r"демалыс\s+жок",
            r"dam\s+olish(?:siz|\s+kunisiz|\s+kuni\s+yo'q)",
            r"дам\s+олиш(?:сиз|\s+кунисиз)",
            r"бе\s+рузи\s+истирохат",
            r"(?:7|семь|seven)\s+(?:дней|days?)\s+(?:в|a)\s+(?:неделю|week)",
            r"haftada\s+7\s+kun",
            r"хафтада\s+7\s+кун",
            r"график\s+7\s*/\s*0",
            r"no\s+days?\s+off",
            r"without\s+(?:a\s+)?days?\s+off",
        ),
        negation="none",
    ),
    # abusive_conditions
    _rule(
        "abusive_conditions",
        _any(
            r"без\s+(?:оплаты\s+)?больничн\w*",
            r"(?:проживание|жить|живут)\s+в\s+(?:подвал|контейнер|сара)\w*",
            r"спать\s+(?:на\s+объекте|в\s+цеху|на\s+складе)",
            r"no\s+sick\s+(?:leave|pay)",
        ),
        negation="none",
    ),
)

_SENTENCE = re.compile(r"[^.!?\n;]+")
_WORD = re.compile(r"\w+")
_SHIFT_HOURS = re.compile(
    r"(?<!\w)(?:с|from)\s*(\d{1,2})([:.]\d\d)?\s*(?:ч\w*\s*)?(?:до|to|-|–)\s*"
    r"(\d{1,2})([:.]\d\d)?(?!\d)(\s*(?:ч(?!\w)|час\w*|утра|вечера|ночи|am|pm|hours?))?"
)


# ---------------------------------------------------------------------------------------------
# Prefilter: re tries a part's long alternation, behind a lookbehind, at every position of the
# text, and most ads hold no part of most rules. A part's match holds a word starting with one of
# a few strings (``без`` in "без документов", ``кон`` in "в конце"), read off the parsed regex:
# one set operation against the starts of the text's words rules the part out.

_HEAD = 3
"""Most characters of a word start compared."""
_SPACE = [(IN, [(CATEGORY, CATEGORY_SPACE)])]


def _lead(items: Any) -> set[str] | None:
    """Word characters (up to ``_HEAD``) that every match of the parsed regex ``items`` starts
    with, or None when some match may start otherwise."""
    run = ""
    for op, arg in items:
        if op in (ASSERT, ASSERT_NOT, AT):
            continue  # reads nothing
        if op is LITERAL and _WORD.fullmatch(chr(arg)):
            run += chr(arg)
            if len(run) == _HEAD:
                break
            continue
        if op is BRANCH or (op is SUBPATTERN and not arg[1] and not arg[2]):
            found = [_lead(branch) for branch in (arg[1] if op is BRANCH else [arg[3]])]
            if all(found):
                return {(run + lead)[:_HEAD] for leads in found if leads for lead in leads}
        break
    return {run} if run else None


def _word_starts(items: Any, at_start: bool) -> set[str] | None:
    """Strings one of which every match of the parsed regex ``items`` holds at the start of a
    word (the longest found), or None; ``at_start``: the match starts after no letter."""
    items = list(items)
    options: list[set[str]] = []
    for i, (op, arg) in enumerate(items):
        if op in (ASSERT, ASSERT_NOT, AT):
            continue  # reads nothing
        found: set[str] | None = None
        if op is LITERAL:
            letter = bool(_WORD.fullmatch(chr(arg)))
            found = _lead(items[i:]) if letter and at_start else None
            at_start = not letter
        elif op is BRANCH or (op is SUBPATTERN and not arg[1] and not arg[2]):
            branches = arg[1] if op is BRANCH else [arg[3]]
            each = [_word_starts(branch, at_start) for branch in branches]
            found = {head for heads in each if heads for head in heads} if all(each) else None
            at_start = False
        elif op is MAX_REPEAT and arg[:2] == (0, 1):  # optional: every match with or without it
            taken = _word_starts([*arg[2], *items[i + 1 :]], at_start)
            skipped = _word_starts(items[i + 1 :], at_start)
            if taken and skipped:
                options.append(taken | skipped)
            break
        else:
            # past white space (\s, \s+), a word starts
            at_start = (op is IN and [(op, arg)] == _SPACE) or (
                op in (MAX_REPEAT, MIN_REPEAT) and arg[0] >= 1 and list(arg[2]) == _SPACE
            )
        if found:
            options.append(found)
    return max(options, key=lambda option: (min(map(len, option)), -len(option)), default=None)


def _word_heads(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Word starts one of which the text must hold for ``pattern`` to match (None: no such test,
    as for a pattern that may match right after a letter)."""
    items = _regex_parser.parse(pattern.pattern).data
    if pattern.flags & (re.IGNORECASE | re.ASCII) or not items:
        return None
    op, arg = items[0]
    behind = arg[1].data if op is ASSERT_NOT and arg[0] < 0 else []
    after_no_letter = (
        len(behind) == 1
        and behind[0][0] is IN
        and (CATEGORY, CATEGORY_WORD) in behind[0][1]
        and (NEGATE, None) not in behind[0][1]
    )
    heads = _word_starts(items[1:], at_start=True) if after_no_letter else None
    return None if heads is None else frozenset(heads)


def _index_parts() -> tuple[frozenset[re.Pattern[str]], dict[str, frozenset[re.Pattern[str]]]]:
    """The parts to search in every text, and the parts each word start lets in."""
    always: set[re.Pattern[str]] = set()
    by_head: dict[str, set[re.Pattern[str]]] = {}
    for rule in _RULES:
        for part in rule.parts:
            heads = _word_heads(part)
            if heads is None:
                always.add(part)
            for head in heads or ():
                by_head.setdefault(head, set()).add(part)
    return frozenset(always), {head: frozenset(parts) for head, parts in by_head.items()}


_ALWAYS, _BY_HEAD = _index_parts()
_WORD_HEAD = re.compile(rf"\b\w{{1,{_HEAD}}}")


def _possible_parts(folded: str) -> frozenset[re.Pattern[str]]:
    """The parts of rules that may match in ``folded``: the others want a word start it lacks."""
    starts = set(_WORD_HEAD.findall(folded))
    starts.update([head[:n] for head in starts for n in range(1, _HEAD)])
    return _ALWAYS.union(*map(_BY_HEAD.__getitem__, starts & _BY_HEAD.keys()))


def _matches(part: re.Pattern[str], text: str, seen: dict[re.Pattern[str], bool]) -> bool:
    """Whether ``part`` matches anywhere in ``text``; ``seen`` remembers the parts searched."""
    found = seen.get(part)
    if found is None:
        found = seen[part] = part.search(text) is not None
    return found


def find_risk_wording(text: str) -> list[RiskHit]:
    """Risky wordings in ``text``, in order of appearance, each once per indicator."""
    folded = fold(text)
    # most ads trip no rule: the starts of the text's words, then a search of the whole text for
    # each part left, rule out most rules before any sentence is read
    possible = _possible_parts(folded)
    seen: dict[re.Pattern[str], bool] = {}
    rules = [
        rule
        for rule in _RULES
        if possible.issuperset(rule.parts)
        and all(_matches(part, folded, seen) for part in rule.parts)
    ]
    # a sentence holds working hours only where the whole text does
    shifts = _SHIFT_HOURS.search(folded) is not None
    found: dict[tuple[str, int, int], None] = {}
    for sentence in _SENTENCE.finditer(folded) if rules or shifts else ():
        lo, hi = sentence.span()
        for rule in rules:
            for start, end in _rule_spans(rule, folded, lo, hi):
                found.setdefault((rule.indicator, start, end), None)
        for start, end in _long_shift_spans(folded, lo, hi) if shifts else ():
            found.setdefault(("excessive_overtime", start, end), None)
    hits = sorted(_without_nested(found), key=lambda key: (key[1], key[0]))
    return _unique_hits(RiskHit(indicator, text[start:end]) for indicator, start, end in hits)


def _rule_spans(rule: _Rule, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """Spans where every part of ``rule`` matches, without overlapping, within ``rule.window``
    words, and no negation or harmless sense cancels them."""
    matches = [[m.span() for m in part.finditer(text, lo, hi)] for part in rule.parts]
    if not all(matches):
        return []
    spans = []
    for anchor in matches[0]:
        chosen = _nearest_combination([anchor], matches[1:], text, rule.window)
        if chosen is None:
            continue
        start, end = min(s for s, _ in chosen), max(e for _, e in chosen)
        if not _cancelled(rule, text, lo, start, end):
            spans.append((start, end))
    return spans


def _nearest_combination(
    chosen: list[tuple[int, int]],
    remaining: list[list[tuple[int, int]]],
    text: str,
    window: int,
) -> list[tuple[int, int]] | None:
    """Extend ``chosen`` with one match of each remaining part, nearest first, backtracking
    when a nearer match overlaps (``жумуш берүүчү`` is an employer, not the verb ``бер-``)."""
    if not remaining:
        start, end = min(s for s, _ in chosen), max(e for _, e in chosen)
        return chosen if len(_WORD.findall(text, start, end)) <= window else None
    anchor = chosen[0]
    candidates = sorted(remaining[0], key=lambda c: _distance(c, anchor))
    for candidate in candidates:
        if not all(_apart(candidate, other) for other in chosen):
            continue
        found = _nearest_combination([*chosen, candidate], remaining[1:], text, window)
        if found is not None:
            return found
    return None


def _apart(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[1] <= b[0] or b[1] <= a[0]


def _distance(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(a[0] - b[1], b[0] - a[1], 0)


def _cancelled(rule: _Rule, text: str, sentence_start: int, start: int, end: int) -> bool:
    """A negation where the rule says one reverses it, or a word showing a harmless sense."""
    before = _WORD.findall(text, sentence_start, start)[-2:]
    if rule.cancel and (
        any(rule.cancel.fullmatch(word) for word in before) or rule.cancel.search(text, start, end)
    ):
        return True
    if rule.negation == "none":
        return False
    # "без документов, без патента": a "без" before a "без" rule is a list, not a negation
    if any(NEGATION.fullmatch(word) and word != "без" for word in before):
        return True
    return rule.negation == "around" and bool(NEGATION.search(text, start, end))


def _long_shift_spans(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """'с 6 до 22': working hours written as a range of twelve hours or more."""
    spans = []
    for match in _SHIFT_HOURS.finditer(text, lo, hi):
        begin, finish = int(match.group(1)), int(match.group(3))
        is_time = match.group(2) or match.group(4) or match.group(5)
        if is_time and begin <= 24 and finish <= 24 and (finish - begin) % 24 >= 12:
            spans.append(match.span())
    return spans


def _without_nested(
    found: dict[tuple[str, int, int], None],
) -> list[tuple[str, int, int]]:
    """Keep the tightest wording: drop a span that holds another span of the same indicator."""
    keys = list(found)
    return [
        key
        for key in keys
        if not any(
            other != key and other[0] == key[0] and key[1] <= other[1] and other[2] <= key[2]
            for other in keys
        )
    ]


def _unique_hits(hits: Iterable[RiskHit]) -> list[RiskHit]:
    seen: dict[RiskHit, None] = {}
    for hit in hits:
        seen.setdefault(hit, None)
    return list(seen)
