"""The generated config JSON Schema and docs/config.md: up to date with the models, and complete."""

from bridge.config import ConfigDocument
from bridge.consent import CONSENT_KEYS
from bridge.schema import REFERENCE_PATH, REGENERATE, SCHEMA_PATH, config_json_schema, config_reference, schema_text
from bridge.sinks import SINKS_BY_TYPE


class TestCheckedInFiles:
    def test_schema_file_is_up_to_date(self):
        """site/loader/oncehub-bridge.schema.json is what the models generate."""
        assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), f"stale schema: run `{REGENERATE}`"

    def test_reference_is_up_to_date(self):
        """docs/config.md is what the models generate."""
        assert REFERENCE_PATH.read_text(encoding="utf-8") == config_reference(), f"stale docs: run `{REGENERATE}`"


class TestSchema:
    def test_covers_every_top_level_key_and_sink_type(self):
        """Every config key and every registered sink type is in the schema, sinks tagged by type."""
        schema = config_json_schema()
        assert set(schema["properties"]) == set(ConfigDocument.model_fields)
        assert schema["additionalProperties"] is False
        mapping = schema["properties"]["sinks"]["items"]["discriminator"]["mapping"]
        assert set(mapping) == set(SINKS_BY_TYPE) | {"python"}  # custom Python sinks (SPEC §7)

    def test_consent_keys_are_an_enum_with_descriptions(self):
        """A sink's consent list only takes Consent Mode v2 keys; options carry their docstrings."""
        consent = config_json_schema()["$defs"]["DataLayerConfig"]["properties"]["consent"]
        assert consent["anyOf"][0]["items"]["enum"] == list(CONSENT_KEYS)
        assert "consent.mode" in consent["description"] and "``" not in consent["description"]


class TestReference:
    def test_names_every_sink_and_its_consent_keys(self):
        """The reference has a section per sink type with its default consent keys."""
        text = config_reference()
        for name in SINKS_BY_TYPE:
            assert f"### `{name}`" in text
        assert "`consent.wait_ms`" in text and "`analytics_storage`" in text
