"""Normalisation and SHA-256 hashing of customer identifiers: Google's enhanced-conversions rules and Meta's
advanced-matching rules, kept apart because they differ (Gmail dots, the ``+`` of a phone number, names)."""

from __future__ import annotations

import hashlib
import re
import unicodedata

GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
USER_DATA_KEYS = ("sha256_email_address", "sha256_phone_number")

_E164_DIGITS = re.compile(r"^[1-9][0-9]{6,14}$")
_NOT_DECIMAL = re.compile(r"\D")
"""What is not a decimal digit (``str.isdecimal``: Unicode's category Nd, as ``\\d`` in a text pattern)."""


def _phone_digits(phone: str) -> str:
    """The digits of ``phone`` as ASCII, whatever script they were typed in (Arabic-Indic ``٢٠٢``, Devanagari,
    full-width...): E.164 numbers, and the destinations' normalisations, are written in ASCII digits."""
    digits = _NOT_DECIMAL.sub("", phone)
    return digits if digits.isascii() else "".join(str(unicodedata.decimal(ch)) for ch in digits)


def sha256_hex(text: str) -> str:
    """Return the lowercase hex SHA-256 digest of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _trimmed_lowercase_email(email: str | None) -> str | None:
    """``email`` trimmed and lowercased, or ``None`` when it is not ``local@domain`` without inner spaces."""
    normalized = (email or "").strip().lower()
    local, at, domain = normalized.rpartition("@")
    if not at or not local or not domain or len(normalized.split(maxsplit=1)) > 1:  # inner white space
        return None
    return normalized


def normalize_email(email: str | None) -> str | None:
    """Trim and lowercase an email; drop dots from the local part of Gmail addresses; ``None`` if not an email."""
    normalized = _trimmed_lowercase_email(email)
    if normalized is None:
        return None
    local, _, domain = normalized.rpartition("@")
    if domain in GMAIL_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def normalize_phone(phone: str | None) -> str | None:
    """Return the phone number in E.164 (``+<country><number>``), or ``None`` when it cannot be one.

    Everything but digits is dropped, and digits of any script become ASCII ones; a leading ``00`` international
    prefix is read as ``+``. The number must already carry its country code (OnceHub sends e.g. ``1-2025550195``).
    """
    if not phone:
        return None
    digits = _phone_digits(phone)
    if not phone.strip().startswith("+") and digits.startswith("00"):
        digits = digits[2:]
    return f"+{digits}" if _E164_DIGITS.match(digits) else None


def hashed_user_data(email: str | None, phone: str | None) -> dict[str, str]:
    """Build ``user_data``: hashed normalised email and phone, omitting what is absent or unusable."""
    user_data: dict[str, str] = {}
    normalized_email = normalize_email(email)
    if normalized_email:
        user_data["sha256_email_address"] = sha256_hex(normalized_email)
    normalized_phone = normalize_phone(phone)
    if normalized_phone:
        user_data["sha256_phone_number"] = sha256_hex(normalized_phone)
    return user_data


def normalize_meta_email(email: str | None) -> str | None:
    """Meta's ``em``: trimmed and lowercased, nothing else (no Gmail dot rule); ``None`` if not an email."""
    return _trimmed_lowercase_email(email)


def normalize_meta_phone(phone: str | None) -> str | None:
    """Meta's ``ph``: digits only, country code first, no ``+`` and no leading zeros; ``None`` if unusable.

    Like ``normalize_phone``, the number must already carry its country code (``1-2025550195``).
    """
    if not phone:
        return None
    digits = _phone_digits(phone).lstrip("0")
    return digits if _E164_DIGITS.match(digits) else None


def normalize_meta_name(name: str | None) -> str | None:
    """Meta's ``fn`` / ``ln``: lowercased, without punctuation or spaces, other letters kept (UTF-8)."""
    if not name:
        return None
    kept = "".join(ch for ch in name.lower() if unicodedata.category(ch)[0] in "LMN")
    return kept or None


def split_name(full_name: str | None) -> tuple[str | None, str | None]:
    """First and last name from one full-name field: the first word, then the remaining words."""
    first, _, last = (full_name or "").strip().partition(" ")
    return first or None, last.strip() or None


def meta_user_data(name: str | None, email: str | None, phone: str | None, hashed: bool = True) -> dict[str, str]:
    """Meta's advanced-matching keys ``em``, ``ph``, ``fn``, ``ln``: normalised, then hashed unless ``hashed`` is
    false (the pixel hashes unhashed values itself); keys whose input is absent or unusable are omitted."""
    first, last = split_name(name)
    normalized = {
        "em": normalize_meta_email(email),
        "ph": normalize_meta_phone(phone),
        "fn": normalize_meta_name(first),
        "ln": normalize_meta_name(last),
    }
    return {key: sha256_hex(value) if hashed else value for key, value in normalized.items() if value}
