"""Which redirect targets are safe (SPEC §4, redirect safety)."""

import pytest

from bridge.url_policy import resolve, target_problem

PAGE = "https://site.example/book?x=1"


class TestRefused:
    @pytest.mark.parametrize(
        "url, reason",
        [
            ("javascript:alert(1)", "javascript: targets are not allowed"),
            ("JavaScript:alert(1)", "javascript: targets are not allowed"),
            ("data:text/html,hi", "data: targets are not allowed"),
            ("//evil.example/x", "host evil.example"),
            ("https://site.example.evil.example/", "host site.example.evil.example"),
            ("https://user:pass@site.example/", "credentials"),
            ("https://site.example@evil.example/", "credentials"),
            ("/\\evil.example/", "backslashes"),
            (" javascript:alert(1)", "whitespace"),
            ("java\tscript:alert(1)", "whitespace"),
            ("http://site.example/", "host site.example"),
            ("https://site.example:8443/", "host site.example"),
            ("https://site.example:0/", "host site.example"),  # another origin, not the default port
        ],
    )
    def test_unsafe_targets(self, url, reason):
        """Non-http(s) schemes, other hosts, credentials and browser-reinterpreted characters are refused."""
        assert reason in (target_problem(url, PAGE) or "")

    def test_relative_without_page(self):
        """A relative target cannot be checked without the page URL."""
        assert target_problem("/thanks", None) is not None


class TestAllowed:
    @pytest.mark.parametrize("url", ["/thank-you?b=1", "thanks", "https://site.example/ok", "https://SITE.example:443/"])
    def test_own_origin(self, url):
        """Targets on the page's own origin are allowed."""
        assert target_problem(url, PAGE) is None

    def test_allowed_host(self):
        """A listed host is allowed, on http(s) only."""
        assert target_problem("https://shop.example/t", PAGE, ["shop.example"]) is None
        assert target_problem("ftp://shop.example/t", PAGE, ["shop.example"]) is not None

    def test_resolve(self):
        """Relative targets resolve against the page URL."""
        assert resolve("/thank-you?b=1", PAGE) == "https://site.example/thank-you?b=1"
