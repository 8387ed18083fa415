"""Google's normalisation and hashing of customer identifiers."""

import hashlib

from bridge.identity import hashed_user_data, normalize_email, normalize_phone, sha256_hex


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
