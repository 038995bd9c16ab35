"""Script folding and phonetic skeletons.

Workers type one name in Cyrillic, ICAO Latin, chat Latin, Kazakh Latin 2021 or Uzbek Latin. We map
every spelling to a lower-case Latin *skeleton* in which the usual transliteration choices collide
(zh/j/ж, kh/h/x/х, y/i/ы/и/й, ts/ц, q/қ/k, ğ/gh/ғ/g, w/v, doubled letters), so that comparing
skeletons compares sounds rather than spellings. Special phonemes get their own letters:
``S`` = ш/sh, ``C`` = ч/ch, ``j`` = ж/zh/j/дж.

Kazakh Latin of 2017 writes Kazakh letters with an apostrophe (a' g' n' o' u' y' s' c' i'), the
2018 version with accents (á ǵ ń ó ú ý); Uzbek Latin writes ў as o' and ғ as g'. An o' reads as
Kazakh ө only when the text shows other signs of the 2017 alphabet. Other scripts (Arabic,
Chinese, Georgian, Armenian, Greek ...) are romanised with ``unidecode``; Cyrillic keeps our table.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from unidecode import unidecode

__all__ = ("fold", "skeleton", "split_words", "words_of")

_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "yo", "ж": "zh", "з": "z",
    "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    # Kazakh, Kyrgyz, Tajik, Uzbek Cyrillic letters
    "ә": "a", "ғ": "gh", "қ": "q", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
    "ӣ": "i", "ӯ": "u", "ҳ": "h", "ҷ": "j", "ў": "u", "ҙ": "z", "ҫ": "s", "ӏ": "",
    "є": "e", "ї": "i", "ј": "j",
    # Serbian and Macedonian letters (Вучић = Vučić)
    "ћ": "ch", "ђ": "dj", "љ": "lj", "њ": "nj", "џ": "dzh", "ѓ": "gj", "ќ": "kj", "ѕ": "dz",
}  # fmt: skip
_LATIN = {
    "ä": "a", "ğ": "gh", "ñ": "n", "ö": "o", "ū": "u", "ü": "u", "ı": "i", "ş": "sh", "ç": "ch",
    "ə": "a", "ŋ": "n", "ß": "ss", "ø": "o", "æ": "ae", "đ": "d", "ł": "l", "ǵ": "g", "ń": "n",
    "ý": "u", "ž": "zh", "š": "sh", "č": "ch", "ć": "ch", "ś": "s", "ź": "z", "ż": "zh",
}  # fmt: skip
_APOSTROPHES = "'`ʻʼ‘’´ʹ′"
_UZ_APOSTROPHE = re.compile(f"([og])[{_APOSTROPHES}]")
_OTHER_APOSTROPHE = re.compile(f"[{_APOSTROPHES}]")
# letters with an apostrophe that only Kazakh Latin of 2017 writes: c' (ч), y' (ұ), u' (ү),
# i' (и, й), and s' (ш) at the start of a word or after a consonant (Uzbek writes Mas'ud)
_KAZ_2017_SIGN = re.compile(
    f"[cyui][{_APOSTROPHES}]|(?:^|(?<=[^a-z])|(?<=[b-df-hj-np-tv-z]))s[{_APOSTROPHES}](?=[a-z])"
)
_KAZ_2017 = {"c": "ch", "y": "u", "s": "sh", "o": "o", "g": "g"}
_KAZ_2017_LETTER = re.compile(f"([cysog])[{_APOSTROPHES}]")
_ROMANISED_RUN = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)

# ordered rewrites on transliterated lower-case Latin
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"shch|sch", "S"),
        (r"sh", "S"),
        (r"tch|ch", "C"),
        (r"dzh|dj|zh", "j"),
        (r"kh", "h"),
        (r"gh", "g"),
        (r"ph", "f"),
        (r"th", "t"),
        (r"ck", "k"),
        (r"c(?=[eiy])", "s"),
        (r"c", "k"),
        (r"tz|ts", "c"),
        (r"q", "k"),
        (r"w", "v"),
        (r"x", "h"),
        # ё after a consonant: Artyom / Артём / Artem, Yahyo / Яҳё
        (r"(?<=[bcdfghjklmnpqrstvxzCS])yo", "e"),
        # ё at the start of a word: Ёркин / Yorqin / Erkin
        (r"^yo", "e"),
        (r"y", "i"),
        (r"^ie", "e"),
        (r"(.)\1+", r"\1"),
        (r"ii$", "i"),
    )
)


def fold(text: str) -> str:
    """Lower-case Latin transliteration of ``text`` (any supported script), punctuation kept."""
    text = unicodedata.normalize("NFC", text).casefold()
    if _KAZ_2017_SIGN.search(text):
        text = _KAZ_2017_LETTER.sub(lambda m: _KAZ_2017[m.group(1)], text)
    else:
        text = _UZ_APOSTROPHE.sub(lambda m: "u" if m.group(1) == "o" else "g", text)
    text = _OTHER_APOSTROPHE.sub("", text)
    out: list[str] = []
    run: list[str] = []  # letters of another script, romanised together
    for ch in text:
        if ch in _CYRILLIC:
            latin = _CYRILLIC[ch]
        elif ch in _LATIN:
            latin = _LATIN[ch]
        elif ch.isascii():
            latin = ch
        elif _is_ideograph(ch):
            latin = ch  # a Han character or Hangul syllable is a unit of its own
        elif unicodedata.category(ch).startswith("M"):
            if run:
                run.append(ch)
            continue
        else:
            # strip accents of other Latin letters; romanise the letters of other scripts
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            if base.isascii() and base:
                latin = base
            elif ch.isalnum():
                run.append(ch)
                continue
            else:
                latin = ch
        if run:
            out.append(_romanise("".join(run)))
            run = []
        out.append(latin)
    if run:
        out.append(_romanise("".join(run)))
    return "".join(out)


def _is_ideograph(ch: str) -> bool:
    code = ord(ch)
    return 0x3400 <= code <= 0x9FFF or 0xAC00 <= code <= 0xD7AF or 0xF900 <= code <= 0xFAFF


@lru_cache(maxsize=50_000)
def _romanise(word: str) -> str:
    """Latin letters for a word of another script (Arabic, Georgian, Armenian, Greek, kana ...)."""
    latin = _ROMANISED_RUN.sub("", unidecode(word).lower())
    return latin or word


def split_words(text: str) -> list[str]:
    """Words of ``text`` after folding; hyphens, quotes and punctuation separate words."""
    return _WORD.findall(fold(text))


@lru_cache(maxsize=200_000)
def skeleton(word: str) -> str:
    """Phonetic skeleton of one folded word (see module docstring)."""
    word = fold(word)
    if not word.isalpha() or not word.isascii():
        return word
    for pattern, repl in _RULES:
        word = pattern.sub(repl, word)
    return word


def words_of(text: str) -> list[tuple[str, str]]:
    """``(folded word, skeleton)`` pairs of ``text`` in order."""
    return [(w, skeleton(w)) for w in split_words(text)]
