"""URL templates with {field} placeholders."""

import pytest

from bridge.templating import TemplateError, fill, lookup, placeholder_in_scheme_or_host, placeholders


class TestPlaceholders:
    def test_names_in_order(self):
        """Plain and dotted placeholder names are listed in order."""
        assert placeholders("/t?b={booking_id}&s={utm_params.source}") == ["booking_id", "utm_params.source"]

    @pytest.mark.parametrize("template", ["/t?b={booking_id", "/t}", "/t?{a}}"])
    def test_unbalanced(self, template):
        """Stray braces are a template error."""
        with pytest.raises(TemplateError):
            placeholders(template)

    @pytest.mark.parametrize("template", ["/{}", "/{Booking Id}", "/{a..b}", "/{1x}"])
    def test_bad_names(self, template):
        """Names must be lowercase identifiers, optionally dotted."""
        with pytest.raises(TemplateError):
            placeholders(template)


class TestSchemeOrHost:
    @pytest.mark.parametrize(
        "template",
        ["{page.url}", "https://{subject}.example/", "https://site.example{subject}/x", "//{subject}/",
         "java{subject}script:alert(1)", "https://user{subject}@site.example/"],
    )
    def test_placeholder_decides_destination(self, template):
        """A placeholder in the scheme or the host is detected."""
        assert placeholder_in_scheme_or_host(template)

    @pytest.mark.parametrize("template", ["/t?b={booking_id}", "https://site.example/{booking_id}", "x/{subject}"])
    def test_placeholder_in_path_or_query(self, template):
        """Placeholders in the path or query do not decide the destination."""
        assert not placeholder_in_scheme_or_host(template)


class TestFill:
    def test_values_are_url_encoded(self):
        """Values are encoded so they cannot add path, query or fragment parts."""
        assert fill("/t?s={subject}", {"subject": "a b/c?d&e#f"}) == "/t?s=a%20b%2Fc%3Fd%26e%23f"

    def test_dotted_and_absent(self):
        """Dotted paths reach nested values; absent ones fill as empty."""
        values = {"utm_params": {"source": "news"}, "click_ids": None}
        assert fill("/t?s={utm_params.source}&g={click_ids.gclid}", values) == "/t?s=news&g="

    def test_lists_and_numbers(self):
        """Lists are comma-joined (then encoded) and numbers written as text."""
        assert fill("/{booking_ids}/{duration_minutes}", {"booking_ids": ["A", "B"], "duration_minutes": 60}) == (
            "/A%2CB/60"
        )

    def test_lookup_through_non_mapping(self):
        """Looking through a non-object gives None."""
        assert lookup({"a": "text"}, "a.b") is None
