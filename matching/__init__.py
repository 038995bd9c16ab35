"""Recognising the same recruiter across scripts, spellings, legal forms and phone formats.

A pure library: strings in, keys, candidates and scored decisions (with their reasons) out.
"""

from .compare import NameComparison, compare_names
from .extract import extract_recruiter_names
from .licence_numbers import extract_licence_numbers, normalise_licence_number
from .names import NormalisedName, normalise_name
from .phones import DEFAULT_REGIONS, extract_phones, normalise_phone
from .registry_index import Candidate, LookupDecision, RegistryIndex, RegistryRecord

__all__ = (
    "DEFAULT_REGIONS",
    "Candidate",
    "LookupDecision",
    "NameComparison",
    "NormalisedName",
    "RegistryIndex",
    "RegistryRecord",
    "compare_names",
    "extract_licence_numbers",
    "extract_phones",
    "extract_recruiter_names",
    "normalise_licence_number",
    "normalise_name",
    "normalise_phone",
)
