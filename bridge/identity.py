"""Google's normalisation and SHA-256 hashing of customer identifiers (enhanced conversions rules)."""

from __future__ import annotations

import hashlib
import re

GMAIL_DOMAINS = frozenset({"gmail.com", "googlemail.com"})
USER_DATA_KEYS = ("sha256_email_address", "sha256_phone_number")

_E164_DIGITS = re.compile(r"^[1-9]\d{6,14}$")


def sha256_hex(text: str) -> str:
    """Return the lowercase hex SHA-256 digest of ``text`` encoded as UTF-8."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalize_email(email: str | None) -> str | None:
    """Trim and lowercase an email; drop dots from the local part of Gmail addresses; ``None`` if not an email."""
    if not email:
        return None
    normalized = email.strip().lower()
    local, at, domain = normalized.rpartition("@")
    if not at or not local or not domain or any(ch.isspace() for ch in normalized):
        return None
    if domain in GMAIL_DOMAINS:
        local = local.replace(".", "")
    return f"{local}@{domain}"


def normalize_phone(phone: str | None) -> str | None:
    """Return the phone number in E.164 (``+<country><number>``), or ``None`` when it cannot be one.

    Everything but digits is dropped; a leading ``00`` international prefix is read as ``+``. The number must
    already carry its country code (OnceHub sends e.g. ``1-2025550195``).
    """
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
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
