"""A customer's phone number in any form people type, made one canonical text: E.164.

"050 123 45 67", "+380 (50) 123-45-67", "0038050..." and "380501234567" are the same number
in Ukraine; a number without a country code is read in the store's country
(``default_region``, ISO 3166 letters such as "UA", "AZ", "GE").  The number must be a valid
number of its country (the ``phonenumbers`` library holds each country's plan); anything else
is a ``PhoneNumberProblem`` saying why, never another exception.
"""

from __future__ import annotations

import phonenumbers

from pos.errors import PosError
from pos.i18n import N_

MAX_TYPED = 40  # longer is no phone number: refused before parsing
_ALLOWED = set("0123456789+-()./ \t")


class PhoneNumberProblem(PosError):
    """The text typed is no phone number the till can use."""

    message = N_("That is not a phone number.")


def normalise_phone(text: str, default_region: str = "UA") -> str:
    """The E.164 form ("+380501234567") of ``text``; a ``PhoneNumberProblem`` saying why not.

    Spaces, dashes, dots, slashes and brackets are ignored; "00" before a country code is read
    as "+".  Letters (vanity numbers) and extensions are refused: a till identifies a customer
    by the digits they say."""
    if not isinstance(text, str):
        raise PhoneNumberProblem()
    typed = text.strip()
    if not typed:
        raise PhoneNumberProblem(N_("Type the customer's phone number."))
    if len(typed) > MAX_TYPED:
        raise PhoneNumberProblem(N_("A phone number has at most 15 digits."))
    if any(character not in _ALLOWED for character in typed):
        raise PhoneNumberProblem(N_("A phone number has only digits, spaces, dashes, brackets and a leading +."))
    digits = "".join(character for character in typed if character.isdigit())
    if "+" in typed[1:] or (typed.startswith("+") and not digits):
        raise PhoneNumberProblem(N_("Only the first character of a phone number may be +."))
    if len(digits) > 17:  # 00 + 15 digits
        raise PhoneNumberProblem(N_("A phone number has at most 15 digits."))
    if len(digits) < 5:
        raise PhoneNumberProblem(N_("That phone number is too short."))
    if not typed.startswith("+") and digits.startswith("00"):
        typed, digits = "+" + digits[2:], digits[2:]
    region = (default_region or "").upper()
    if not typed.startswith("+") and region not in phonenumbers.SUPPORTED_REGIONS:
        raise PhoneNumberProblem(N_("Type the phone number with its country code, starting with +."))
    try:
        number = phonenumbers.parse(typed, None if typed.startswith("+") else region)
    except phonenumbers.NumberParseException as problem:
        if problem.error_type == phonenumbers.NumberParseException.INVALID_COUNTRY_CODE:
            raise PhoneNumberProblem(N_("That country code is not known.")) from None
        raise PhoneNumberProblem() from None
    if not typed.startswith("+") and not phonenumbers.is_valid_number(number):
        number = _without_leading_country_code(digits, region) or number
    if not phonenumbers.is_valid_number(number):
        length = _length_problem(number)
        if length:
            raise PhoneNumberProblem(length)
        raise PhoneNumberProblem(N_("That is not a phone number of {country}."),
                                 country=phonenumbers.region_code_for_number(number) or region)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _length_problem(number: phonenumbers.PhoneNumber) -> str:
    """Too short or too long for its country's numbers ("" when the length is not the problem)."""
    reason = phonenumbers.is_possible_number_with_reason(number)
    if reason == phonenumbers.ValidationResult.INVALID_LENGTH:
        example = phonenumbers.example_number(phonenumbers.region_code_for_country_code(number.country_code or 0))
        if example is not None:
            shorter = len(str(number.national_number)) < len(str(example.national_number))
            reason = phonenumbers.ValidationResult.TOO_SHORT if shorter else phonenumbers.ValidationResult.TOO_LONG
    if reason in (phonenumbers.ValidationResult.TOO_SHORT, phonenumbers.ValidationResult.IS_POSSIBLE_LOCAL_ONLY):
        return N_("That phone number is too short.")
    if reason == phonenumbers.ValidationResult.TOO_LONG:
        return N_("That phone number is too long.")
    return ""


def _without_leading_country_code(digits: str, region: str) -> phonenumbers.PhoneNumber | None:
    """People often type the country code without "+" ("380501234567", "994501234567")."""
    try:
        number = phonenumbers.parse("+" + digits, None)
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def masked(e164: str) -> str:
    """A number as a person may see it on a till's screen: "+380 ** *** 45 67"."""
    return e164[:4] + " ** *** " + e164[-4:-2] + " " + e164[-2:] if len(e164) > 8 else "***"
