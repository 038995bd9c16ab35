"""Risky ad wording: hits in each language, harmless look-alikes that must not hit."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jobs.feed_formats import parse_feed
from matching.risk_wording import (
    _RULES,
    INDICATORS,
    RiskHit,
    _possible_parts,
    find_risk_wording,
    fold,
)

FEEDS = Path(__file__).parents[2] / "data" / "feeds"


def indicators(text: str) -> set[str]:
    return {hit.indicator for hit in find_risk_wording(text)}


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        # document_retention
        ("Паспорт сдать работодателю по приезду", "document_retention"),
        ("Паспорт остаётся у работодателя на весь срок", "document_retention"),
        ("паспорта забираем на время работы", "document_retention"),
        ("Работодателю сдаются паспорта и миграционные карты", "document_retention"),
        ("Документы хранятся у бригадира до конца сезона", "document_retention"),
        ("pasport ish beruvchida qoladi", "document_retention"),
        ("Pasportlar xo'jayinga topshiriladi", "document_retention"),
        ("Паспорт иш берувчида қолади", "document_retention"),
        ("Паспортту жумуш берүүчүгө тапшыруу керек", "document_retention"),
        ("Паспорт жумуш берүүчүдө калат", "document_retention"),
        ("Паспортты жұмыс берушіге тапсыру міндетті", "document_retention"),
        ("Шиносномаро ба корфармо супоред", "document_retention"),
        ("Passports will be held by the employer", "document_retention"),
        ("We keep your passport for safekeeping", "document_retention"),
        ("Пaспорт сдaть рaботодaтелю", "document_retention"),  # Latin a inside Cyrillic
        # debt_bondage
        ("Аванс сразу, проезд оплатим, долг вычтем из зарплаты", "debt_bondage"),
        ("Дорогу отработаешь", "debt_bondage"),
        ("Стоимость билета удерживается из первой зарплаты", "debt_bondage"),
        ("Оплата за трудоустройство 5000 тг", "debt_bondage"),
        ("Вступительный взнос 10 000 рублей", "debt_bondage"),
        ("Комиссия с работника 20%", "debt_bondage"),
        ("To'lov oldindan", "debt_bondage"),
        ("Ishga joylash uchun to'lov 200$", "debt_bondage"),
        ("Қарыз жалақыдан ұсталады", "debt_bondage"),
        ("Карыз айлыктан кармалат", "debt_bondage"),
        ("Yo'l haqi maoshdan ushlab qolinadi", "debt_bondage"),
        ("Recruitment fee of $500 payable upfront", "debt_bondage"),
        ("Travel costs are deducted from your salary", "debt_bondage"),
        # abuse_of_vulnerability
        ("Берем без документов", "abuse_of_vulnerability"),
        ("Можно без патента", "abuse_of_vulnerability"),
        ("Hujjatsiz ishchilar kerak", "abuse_of_vulnerability"),
        ("Документы не нужны", "abuse_of_vulnerability"),
        ("Паспорт керек эмес", "abuse_of_vulnerability"),
        ("Кужатсыз жұмыс", "abuse_of_vulnerability"),
        ("Бе ҳуҷҷат кор", "abuse_of_vulnerability"),
        ("No documents needed", "abuse_of_vulnerability"),
        ("Берем с запретом на въезд", "abuse_of_vulnerability"),
        # restricted_movement, isolation
        ("Проживание на объекте, выход запрещён", "restricted_movement"),
        ("Проживание на объекте, выход запрещён", "isolation"),
        ("Покидать территорию нельзя", "restricted_movement"),
        ("Tashqariga chiqish mumkin emas", "restricted_movement"),
        ("Домой не отпускаем до конца сезона", "restricted_movement"),
        ("You are not allowed to leave the farm", "restricted_movement"),
        ("Телефоны сдаются бригадиру", "isolation"),
        ("На точке нет связи", "isolation"),
        # excessive_overtime
        ("Работа по 12-14 часов", "excessive_overtime"),
        ("График с 6:00 до 22:00", "excessive_overtime"),
        ("Без выходных", "excessive_overtime"),
        ("Дем алыш жок, күнүнө 14 саат", "excessive_overtime"),
        ("Haftada 7 kun, kuniga 15 soat", "excessive_overtime"),
        ("Бе рӯзи истироҳат", "excessive_overtime"),
        ("16 hour shifts, seven days a week", "excessive_overtime"),
        # withheld_wages
        ("Зарплата в конце сезона", "withheld_wages"),
        ("Расчёт по окончании уборки урожая", "withheld_wages"),
        ("Ish haqi mavsum oxirida beriladi", "withheld_wages"),
        ("Wages paid at the end of the contract", "withheld_wages"),
        ("Зарплата через 3 месяца", "withheld_wages"),
        # deception
        ("Работа без договора, оплата наличными", "deception"),
        ("Лёгкая работа, высокая зарплата, опыт не нужен", "deception"),
        ("Shartnomasiz ish", "deception"),
        ("Easy work, high pay, no contract", "deception"),
        # threats, violence, abusive_conditions
        ("Штраф за досрочный уход 50000", "threats"),
        ("Будешь жаловаться, сообщим в миграционную службу", "threats"),
        ("Без оплаты больничных", "abusive_conditions"),
    ],
)
def test_risky_wording_is_found(text: str, indicator: str) -> None:
    assert indicator in indicators(text), find_risk_wording(text)


@pytest.mark.parametrize(
    "text",
    [
        "Помощь с оформлением документов",
        "Поможем с документами и регистрацией",
        "Официальное трудоустройство, зарплата без задержек",
        "Оплата ежедневно. Жильё и питание бесплатно",
        "Зарплата от 200 000 тенге, аванс сразу",
        "Проезд оплачивается работодателем",
        "Проезд оплачивается, оплата за отработанные часы",
        "Паспорт остаётся у вас на руках",
        "Паспорт не забираем",
        "Мы никогда не забираем паспорта",
        "Не берём без документов",
        "Паспорт нужен для оформления патента",
        "Документы сдать в офис для оформления визы",
        "Пенсионные взносы, официальное оформление",
        "Без предоплаты и комиссии",
        "Медицинская комиссия для оформления за счёт работодателя",
        "Работа без опыта",
        "Официальный трудовой договор",
        "Работа по договору, зарплата высокая",
        "Въезд без визы",
        "Уход за ребёнком, курение запрещено",
        "Выход на работу в нетрезвом виде запрещён",
        "Количество мест ограничено, выезд 15 числа",
        "Сдаётся жильё, телефон 8 701 123 45 67",
        "Зарплата раз в месяц",
        "Оплата после подписания договора",
        "Смена 8 часов, график 6/1",
        "Собеседование в 12 часов",
        "Дорога 12 часов на автобусе",
        "Возраст с 18 до 45 лет",
        "Pasportingiz o'zingizda qoladi",
        "Паспортуңуз өзүңүздө калат",
        "Ish haqi har oy o'z vaqtida",
        "Official contract, paid holidays, salary on time",
        "No fees for workers",
        "Жумуш бар! айдоочулар, Туркестан. Тел: 87050259689",
        "Ishga taklif: paxta teruvchilar, Бишкек. Murojaat uchun: +996(220)022356",
    ],
)
def test_harmless_wording_is_not_flagged(text: str) -> None:
    assert find_risk_wording(text) == []


def test_hits_quote_the_ad_as_written_in_order() -> None:
    text = "Нужны няни! Проживание на объекте, ВЫХОД ЗАПРЕЩЁН. Долг вычтем из зарплаты."

    hits = find_risk_wording(text)

    assert RiskHit("restricted_movement", "ВЫХОД ЗАПРЕЩЁН") in hits
    assert RiskHit("debt_bondage", "Долг вычтем") in hits
    assert [hit.phrase in text for hit in hits] == [True] * len(hits)
    assert hits == sorted(hits, key=lambda hit: text.index(hit.phrase))


def test_two_wordings_of_one_indicator_are_two_hits() -> None:
    hits = find_risk_wording("Берём без документов, без патента")

    assert [hit.phrase for hit in hits] == ["без документов", "без патента"]


def test_sample_boards_only_carry_the_debt_wording() -> None:
    flagged = set()
    for name in ("board1.rss", "board2.atom", "board3.json", "board4.html"):
        for item in parse_feed((FEEDS / name).read_bytes()):
            found = indicators(f"{item.title}. {item.text}")
            assert found <= {"debt_bondage"}, (item.external_id, found)
            assert bool(found) == ("долг вычтем" in item.text), item.external_id
            flagged |= {item.external_id} if found else set()
    assert len(flagged) > 30


def test_indicator_codes_are_the_ilo_ones() -> None:
    assert set(INDICATORS) == {
        "abuse_of_vulnerability", "deception", "restricted_movement", "isolation", "violence",
        "threats", "document_retention", "withheld_wages", "debt_bondage",
        "abusive_conditions", "excessive_overtime",
    }  # fmt: skip


@given(st.text(max_size=200))
def test_folding_keeps_length_and_hits_quote_the_input(text: str) -> None:
    assert len(fold(text)) == len(text)
    for hit in find_risk_wording(text):
        assert hit.phrase in text
        assert hit.indicator in INDICATORS


PARTS = list(dict.fromkeys(part for rule in _RULES for part in rule.parts))


@pytest.mark.parametrize("part", PARTS, ids=range(len(PARTS)))
@settings(max_examples=40)
@given(st.data())
def test_the_prefilter_never_rules_out_a_part_that_matches(
    part: re.Pattern[str], data: st.DataObject
) -> None:
    around = st.sampled_from(["", " ", "а", "x", "7", ".", "'", "_", "\n", "«"])
    text = data.draw(around) + data.draw(st.from_regex(part)) + data.draw(around)
    folded = fold(text)
    assume(part.search(folded))
    assert part in _possible_parts(folded)


def test_most_parts_are_prefiltered() -> None:
    assert len(_possible_parts("")) <= 4 < len(PARTS)


def test_folding_turns_look_alikes_into_cyrillic_only_in_words_of_both_scripts() -> None:
    assert fold("Пaспорт сдaть в WhatsApp, Ak-Жол") == "паспорт сдать в whatsapp, ak-жол"
