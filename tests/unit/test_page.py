"""The host page as the bridge sees it."""

from bridge.page import PageContext, without_query


class TestPageContext:
    def test_malformed_request(self):
        """A missing or malformed page object gives an unknown page, not an exception."""
        assert PageContext.from_request(None) == PageContext()
        assert PageContext.from_request({"url": 3, "referrer": ""}) == PageContext()

    def test_debug_parameter(self):
        """Only oncehub_bridge_debug=1 asks for debug logging."""
        assert PageContext(url="https://s.example/?a=1&oncehub_bridge_debug=1").debug_requested
        assert not PageContext(url="https://s.example/?oncehub_bridge_debug=0").debug_requested
        assert not PageContext().debug_requested

    def test_info_without_query(self):
        """page.url and page.referrer lose query and fragment by default."""
        page = PageContext(url="https://s.example/p?email=a%40b.example#x", referrer=None)
        assert page.info(include_query=False) == {"url": "https://s.example/p", "referrer": None}
        assert PageContext().info(include_query=False) is None

    def test_query_values(self):
        """Empty query values count as absent."""
        page = PageContext(url="https://s.example/?utm_source=&utm_medium=cpc&fbclid=F")
        assert page.utm_params(("source", "medium")) == {"source": None, "medium": "cpc"}
        assert page.click_ids() == {"gclid": None, "fbclid": "F", "msclkid": None}

    def test_without_query_keeps_path(self):
        """Only the query and fragment go."""
        assert without_query("https://s.example:8080/a/b?c=d") == "https://s.example:8080/a/b"
