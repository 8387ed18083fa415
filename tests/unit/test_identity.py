"""Google's and Meta's normalisation and hashing of customer identifiers, against the platforms' examples."""

import hashlib

import pytest

from bridge.identity import (
    hashed_user_data,
    meta_user_data,
    normalize_email,
    normalize_meta_email,
    normalize_meta_name,
    normalize_meta_phone,
    normalize_phone,
    sha256_hex,
    split_name,
)


class TestNormalizeEmail:
    def test_trims_and_lowercases(self):
        """Surrounding white space goes and the address is lowercased."""
        assert normalize_email("  Jane.Doe@Example.COM ") == "jane.doe@example.com"

    def test_gmail_local_part_loses_dots(self):
        """Google's example: dots in a gmail.com local part are removed after lowercasing."""
        assert normalize_email("  John.Doe@Gmail.com ") == "johndoe@gmail.com"

    def test_googlemail_local_part_loses_dots(self):
        """googlemail.com is treated like gmail.com."""
        assert normalize_email("j.o.h.n@googlemail.com") == "john@googlemail.com"

    def test_other_domains_keep_dots(self):
        """Only Gmail addresses lose their dots; the domain's dots stay."""
        assert normalize_email("a.b@mail.example.org") == "a.b@mail.example.org"

    def test_not_an_email(self):
        """Text without an @, or absent input, gives nothing to hash."""
        assert normalize_email("john smith") is None
        assert normalize_email("") is None
        assert normalize_email(None) is None


class TestNormalizePhone:
    def test_oncehub_style_number(self):
        """OnceHub's ``1-2025550195`` becomes E.164 ``+12025550195``."""
        assert normalize_phone("1-2025550195") == "+12025550195"

    def test_formatting_is_dropped(self):
        """Spaces, dots, dashes and parentheses are not digits."""
        assert normalize_phone("+44 (20) 7946.0958") == "+442079460958"

    def test_double_zero_prefix(self):
        """A ``00`` international prefix is read as ``+``."""
        assert normalize_phone("0049 30 1234567") == "+49301234567"

    @pytest.mark.parametrize("typed", ["+971 ٥٠ ١٢٣ ٤٥٦٧", "+971 ۵۰ ۱۲۳ ۴۵۶۷", "+971 ५० १२३ ४५६७", "+971 ５０ １２３ ４５６７"])
    def test_digits_of_any_script_become_ascii(self, typed):
        """A number typed in Arabic-Indic, Persian, Devanagari or full-width digits is the same E.164 number: the
        destinations match on ASCII digits, so a hash of the typed digits would match no one."""
        assert normalize_phone(typed) == "+971501234567"
        assert normalize_meta_phone(typed) == "971501234567"

    def test_too_short_or_absent(self):
        """Numbers that cannot be E.164 are omitted, never guessed."""
        assert normalize_phone("12345") is None
        assert normalize_phone("n/a") is None
        assert normalize_phone(None) is None


class TestHashedUserData:
    def test_known_vector(self):
        """SHA-256 of "abc" is the published FIPS 180-2 test vector."""
        assert sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"

    def test_gmail_example_hash(self):
        """The hash is of the normalised email, computed independently here."""
        expected = hashlib.sha256(b"johndoe@gmail.com").hexdigest()
        assert hashed_user_data("  John.Doe@Gmail.com ", None) == {"sha256_email_address": expected}

    def test_phone_hash(self):
        """The phone is hashed in E.164 form."""
        expected = hashlib.sha256(b"+12025550195").hexdigest()
        assert hashed_user_data(None, "1-2025550195") == {"sha256_phone_number": expected}

    def test_absent_inputs_omit_keys(self):
        """No identifiers give an empty mapping, not hashes of empty strings."""
        assert hashed_user_data(None, "") == {}


def sha256(text: str) -> str:
    """SHA-256 computed here, independently of bridge.identity."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class TestGooglePublishedExamples:
    """The sample record of googleads/google-ads-python examples/remarketing/upload_enhanced_conversions_for_web.py
    (normalised per developers.google.com/google-ads/api/docs/conversions/enhance-conversions)."""

    def test_non_gmail_address_keeps_its_dot(self):
        """"alex.2@example.com" is already normalised: only Gmail addresses lose dots."""
        assert normalize_email("alex.2@example.com") == "alex.2@example.com"
        assert hashed_user_data("alex.2@example.com", None)["sha256_email_address"] == sha256("alex.2@example.com")

    def test_phone_to_e164(self):
        """"+1 800 5550102" becomes E.164 "+18005550102" before hashing."""
        assert normalize_phone("+1 800 5550102") == "+18005550102"
        assert hashed_user_data(None, "+1 800 5550102")["sha256_phone_number"] == sha256("+18005550102")


# Meta, "Customer Information Parameters" (developers.facebook.com/docs/marketing-api/conversions-api/parameters/
# customer-information-parameters): input, normalised form, and the SHA-256 Meta publishes for it.
META_EMAIL = ("John_Smith@gmail.com", "john_smith@gmail.com",
              "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f")
META_PHONE = ("+1 (650)555-1212", "16505551212", "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176")
META_NAMES = [
    ("Mary", "mary", "6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec"),
    ("정", "정", "8fa8cd9c440be61d0151429310034083132b35975c4bea67fdd74158eb51db14"),
    ("Valéry", "valéry", "08e1996b5dd49e62a4b4c010d44e4345592a863bb9f8e3976219bac29417149c"),
]


class TestMetaPublishedExamples:
    def test_email(self):
        """Trimmed and lowercased; the published hash matches."""
        raw, normalized, published = META_EMAIL
        assert normalize_meta_email(f"  {raw} ") == normalized
        assert sha256(normalized) == published
        assert meta_user_data(None, raw, None) == {"em": published}

    def test_phone(self):
        """Digits only with the country code (Meta's US example (650)555-1212 with its 1), no "+"."""
        raw, normalized, published = META_PHONE
        assert normalize_meta_phone(raw) == normalized
        assert sha256(normalized) == published
        assert meta_user_data(None, None, raw) == {"ph": published}

    @pytest.mark.parametrize("raw, normalized, published", META_NAMES)
    def test_first_names(self, raw, normalized, published):
        """Lowercased, UTF-8 letters kept; the published hash matches."""
        assert normalize_meta_name(raw) == normalized
        assert sha256(normalized) == published
        assert meta_user_data(raw, None, None) == {"fn": published}


class TestMetaRules:
    def test_no_gmail_dot_rule(self):
        """Meta keeps the dots Google drops from a Gmail local part."""
        assert normalize_meta_email(" John.Doe@Gmail.com ") == "john.doe@gmail.com"
        assert normalize_email(" John.Doe@Gmail.com ") == "johndoe@gmail.com"

    def test_phone_without_plus_or_leading_zeros(self):
        """OnceHub's "1-2025550195" gives 12025550195; a 00 prefix goes; too short is nothing."""
        assert normalize_meta_phone("1-2025550195") == "12025550195"
        assert normalize_meta_phone("0049 30 1234567") == "49301234567"
        assert normalize_meta_phone("12345") is None and normalize_meta_phone(None) is None

    def test_names_lose_punctuation_and_spaces(self):
        """Apostrophes, hyphens and spaces are not letters."""
        assert normalize_meta_name("O'Brien-Smith") == "obriensmith"
        assert normalize_meta_name(" ... ") is None

    @pytest.mark.parametrize("full, parts", [
        ("John Smith", ("John", "Smith")),
        ("  Mary Ann van Dyke ", ("Mary", "Ann van Dyke")),
        ("Cher", ("Cher", None)),
        (None, (None, None)),
    ])
    def test_split_name(self, full, parts):
        """The first word is the first name, the rest the last name."""
        assert split_name(full) == parts

    def test_unhashed_for_raw_policy(self):
        """Unhashed, the values are the normalised forms (the pixel hashes them itself)."""
        user_data = meta_user_data("John Smith", "John.Smith@Example.com", "1-2025550195", hashed=False)
        assert user_data == {"em": "john.smith@example.com", "ph": "12025550195", "fn": "john", "ln": "smith"}

    def test_absent_inputs_omit_keys(self):
        """Nothing usable gives an empty mapping."""
        assert meta_user_data(None, "not an email", "") == {}
