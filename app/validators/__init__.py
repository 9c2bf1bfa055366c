"""Validate and mask Chinese personal and organisation identifiers."""
from .codes import canonical_bank_account, canonical_postcode, canonical_uscc, uscc_check_char
from .errors import ValidationError, message_text
from .id_card import PROVINCE_CODES, canonical_id_number, id_check_digit, id_number_facts
from .masking import mask_bank_account, mask_id_number, mask_mobile, mask_name
from .password import check_password
from .phone import canonical_mobile
from .text import canonical_username, check_max_length, clean_text, normalize_text, same_name

__all__ = [
    "PROVINCE_CODES", "ValidationError", "canonical_bank_account", "canonical_username", "canonical_id_number",
    "canonical_mobile", "canonical_postcode", "canonical_uscc", "check_max_length",
    "check_password", "clean_text", "id_check_digit", "id_number_facts", "mask_bank_account",
    "mask_id_number", "mask_mobile", "mask_name", "message_text", "normalize_text", "same_name",
    "uscc_check_char",
]
