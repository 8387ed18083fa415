"""Config parsing: one readable problem per fault, the valid rest kept (SPEC §4)."""

import json

import pytest

from bridge.config import parse_config

PAGE = "https://site.example/book"


def parse(config, page_url=PAGE):
    return parse_config(json.dumps(config), page_url)


def sink_types(config):
    return [placed.config.type for placed in config.sinks]


class TestDefaults:
    def test_no_config(self):
        """No config means one data_layer sink and the default origins."""
        config, problems = parse_config(None, PAGE)
        assert problems == []
        assert sink_types(config) == ["data_layer"]
        assert config.sources.booking_calendar.allowed_origins == ["https://oncehub.com"]
        assert (config.debug, config.page.include_query) == (False, False)

    def test_config_without_sinks_key(self):
        """A config that does not mention sinks keeps the default sink."""
        config, _ = parse({"debug": True})
        assert config.debug and sink_types(config) == ["data_layer"]

    def test_empty_sinks(self):
        """An explicit empty list means no sinks."""
        assert parse({"sinks": []})[0].sinks == ()

    def test_invalid_json(self):
        """Invalid JSON gives one problem with line and column, and the defaults."""
        config, problems = parse_config('{\n  "sinks": [,]\n}', PAGE)
        assert len(problems) == 1
        assert "line 2, column 13" in problems[0]
        assert sink_types(config) == ["data_layer"]

    def test_not_an_object(self):
        """A JSON array is not a config."""
        config, problems = parse_config("[]", PAGE)
        assert problems == ["config must be a JSON object; using defaults"]


class TestProblems:
    def test_unknown_top_level_key(self):
        """An unknown key is reported by name and ignored."""
        config, problems = parse({"consnet": {}, "debug": True})
        assert problems == ['unknown key "consnet" ignored (known: attribution, consent, debug, page, runtime, sinks, sources)']
        assert config.debug

    def test_one_bad_sink_among_good(self):
        """Each bad sink is dropped with one problem naming it; the valid ones keep their positions."""
        config, problems = parse(
            {"sinks": [
                {"type": "data_layer"},
                {"type": "redirect", "url": "javascript:alert(1)"},
                {"type": "foo"},
                {"type": "local_storage"},
            ]}
        )
        assert problems == [
            "sinks[1] (redirect): url: javascript: targets are not allowed",
            'sinks[2]: unknown sink type "foo" (known: beacon, callback, custom_event, data_layer, gtag, hubspot,'
            ' linkedin, local_storage, meta_pixel, python, redirect, segment)',
        ]
        assert [placed.label for placed in config.sinks] == ["sinks[0] data_layer", "sinks[3] local_storage"]

    @pytest.mark.parametrize(
        "entry, problem",
        [
            ({}, 'sinks[0]: missing "type" (known: beacon, callback, custom_event, data_layer, gtag, hubspot,'
                 ' linkedin, local_storage, meta_pixel, python, redirect, segment)'),
            ("data_layer", 'sinks[0]: must be an object with a "type"'),
            ({"type": "data_layer", "nmae": "x"}, 'sinks[0] (data_layer): unknown key "nmae"'),
            ({"type": "data_layer", "pii": "all"}, "sinks[0] (data_layer): pii: Input should be 'none', 'hashed' or 'raw'"),
            ({"type": "redirect"}, "sinks[0] (redirect): url: required"),
            ({"type": "local_storage", "max_bookings": -1}, "sinks[0] (local_storage): max_bookings: Input should be"),
            ({"type": "data_layer", "name": "window.x"}, "sinks[0] (data_layer): name: String should match pattern"),
        ],
    )
    def test_sink_problem_text(self, entry, problem):
        """Each sink fault reads as one line naming the sink, its option and the reason."""
        config, problems = parse({"sinks": [entry]})
        assert len(problems) == 1 and problems[0].startswith(problem)
        assert config.sinks == ()

    def test_unknown_field_in_allow_list(self):
        """fields may only name booking event fields."""
        _, problems = parse({"sinks": [{"type": "data_layer", "fields": ["booking_id", "bookingid"]}]})
        assert problems[0].startswith("sinks[0] (data_layer): fields: unknown field 'bookingid'")

    def test_bad_sections_fall_back(self):
        """A bad sources, page or debug value is reported and replaced by its default."""
        config, problems = parse(
            {"sources": {"booking_calendar": {"allowed_origin": []}}, "page": {"include_query": "maybe"}, "debug": 1}
        )
        assert len(problems) == 3
        assert 'unknown key "booking_calendar.allowed_origin"' in problems[0]
        assert config.sources.booking_calendar.allowed_origins == ["https://oncehub.com"]

    def test_problems_hold_no_payload_text(self):
        """Problems quote the config, never anything else; a secret in an option value does not leak via pydantic."""
        _, problems = parse({"sinks": [{"type": "local_storage", "key": ["secret-value"]}]})
        assert problems and "secret-value" not in problems[0]


class TestRedirectValidation:
    @pytest.mark.parametrize(
        "url, reason",
        [
            ("data:text/html,hi", "data: targets are not allowed"),
            ("//evil.example/", "host evil.example"),
            ("https://site.example.evil.example/", "host site.example.evil.example"),
            ("https://me:pw@site.example/", "credentials"),
            ("https://{subject}.site.example/", "placeholders are not allowed in the scheme or host"),
            ("/t?e={customer.email}", 'placeholder {customer.email} needs "pii": "raw"'),
            ("/t?n={note}", 'placeholder {note} needs "pii": "raw"'),
            ("/t?h={user_data.sha256_email_address}", 'needs "pii": "hashed" or "raw"'),
            ("/t?x={bogus}", "unknown placeholder {bogus}"),
            ("/t?x={meetings}", "unknown placeholder {meetings}"),
            ("/t?x={booking_id", "unbalanced"),
        ],
    )
    def test_refused_templates(self, url, reason):
        """Unsafe targets and unsuitable placeholders are config errors at start-up."""
        _, problems = parse({"sinks": [{"type": "redirect", "url": url}]})
        assert len(problems) == 1 and problems[0].startswith("sinks[0] (redirect): url: ")
        assert reason in problems[0]

    def test_pii_placeholder_with_raw(self):
        """With pii raw a customer placeholder is accepted."""
        config, problems = parse({"sinks": [{"type": "redirect", "pii": "raw", "url": "/t?e={customer.email}"}]})
        assert problems == [] and sink_types(config) == ["redirect"]

    def test_placeholder_outside_fields(self):
        """A placeholder the fields allow-list hides is refused."""
        _, problems = parse({"sinks": [{"type": "redirect", "fields": ["booking_id"], "url": "/t?s={subject}"}]})
        assert problems == ['sinks[0] (redirect): url: placeholder {subject} is not in "fields"']

    def test_allowed_hosts(self):
        """Another host is allowed when listed; entries must be bare host names."""
        good = {"type": "redirect", "url": "https://Shop.Example/t?b={booking_id}", "allowed_hosts": ["SHOP.example"]}
        assert parse({"sinks": [good]})[1] == []
        _, problems = parse({"sinks": [{**good, "allowed_hosts": ["https://shop.example/"]}]})
        assert "allowed_hosts: 'https://shop.example/' is not a bare host name" in problems[0]

    def test_relative_needs_page_url(self):
        """Without a page URL a relative target cannot be validated and is refused."""
        _, problems = parse({"sinks": [{"type": "redirect", "url": "/thanks"}]}, page_url=None)
        assert "page URL" in problems[0]


class TestConsentAndAttributionConfig:
    def test_defaults(self):
        """Consent gating is off and first-touch capture is on by default."""
        config, _ = parse({})
        assert (config.consent.mode, config.consent.wait_ms) == ("off", 3000)
        assert (config.attribution.enabled, config.attribution.key, config.attribution.max_age_days) == (
            True, "oncehub_bridge_attribution", 90)

    def test_unknown_consent_key_names_sink_field_and_choices(self):
        """A misspelt consent key drops that sink with one line naming index, type, position and the known keys."""
        config, problems = parse({"sinks": [{"type": "data_layer"}, {"type": "local_storage"},
                                            {"type": "data_layer", "consent": ["analytics_storage", "ads_storage"]}]})
        assert problems == ["sinks[2] (data_layer): consent[1]: 'ads_storage' is not a Consent Mode v2 key "
                            "(ad_storage, ad_user_data, ad_personalization, analytics_storage, functionality_storage, "
                            "personalization_storage, security_storage)"]
        assert [placed.index for placed in config.sinks] == [0, 1]

    def test_consent_must_be_a_list(self):
        """A sink's consent is a list of keys."""
        _, problems = parse({"sinks": [{"type": "data_layer", "consent": "analytics_storage"}]})
        assert problems == ["sinks[0] (data_layer): consent: Input should be a valid list"]

    def test_bad_consent_section_keeps_gating_on(self):
        """A wrong consent option falls back alone; a wrong or misspelt mode falls back to "on", never off."""
        config, problems = parse({"consent": {"mode": "on", "wait_ms": -5}})
        assert problems == ["consent: wait_ms: Input should be greater than or equal to 0; using wait_ms 3000"]
        assert (config.consent.mode, config.consent.wait_ms) == ("on", 3000)
        for section in ({"mode": "gtag"}, {"mdoe": "off"}, True):
            config, problems = parse({"consent": section})
            assert config.consent.mode == "on" and len(problems) == 1 and problems[0].endswith('using mode "on"')

    def test_bad_attribution_option(self):
        """A wrong attribution option is reported and replaced by its default."""
        config, problems = parse({"attribution": {"max_age_days": 0, "enabled": False}})
        assert problems == ["attribution: max_age_days: Input should be greater than or equal to 1; "
                            "using max_age_days 90"]
        assert (config.attribution.enabled, config.attribution.max_age_days) == (False, 90)
