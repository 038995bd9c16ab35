from matching import extract_recruiter_names

AD = """Требуются рабочие на стройку в Алматы! ТОО «Жаксылык Агро» приглашает.
Также ИП Ахметов Нурлан. Партнёр: Zhaksylyk Agro LLP. Звоните 8 701 123 45 67."""


def test_legal_form_patterns_and_quotes() -> None:
    names = extract_recruiter_names(AD)
    assert names[:3] == ["ТОО Жаксылык Агро", "ИП Ахметов Нурлан", "Zhaksylyk Agro LLP"]


def test_plain_text_has_no_names() -> None:
    assert extract_recruiter_names("работа на стройке, жильё бесплатно") == []
