"""The Google Tag Manager custom template (gtm/oncehub-bridge.tpl): its fields become window.OnceHubBridgeConfig
(SPEC §1) and the loader is injected from the site's bundle URL only, with permissions as narrow as GTM allows.
The sandboxed code runs in Node against a fake of the sandbox APIs it requires (tests/unit/gtm_sandbox.mjs)."""

import json
import re
import subprocess
from pathlib import Path

import pytest

from bridge.config import parse_config

ROOT = Path(__file__).resolve().parents[2]
TEMPLATE = ROOT / "gtm" / "oncehub-bridge.tpl"
BUNDLE = "https://www.example.com/oncehub-bridge/oncehub-bridge.js"


def section(name: str) -> str:
    return re.search(rf"___{name}___\n(.*?)(?=\n___[A-Z_]+___\n|\Z)", TEMPLATE.read_text(), re.S).group(1).strip()


def run(tmp_path, data, permissions=None, set_in_window_fails=False) -> dict:
    scenario = tmp_path / "scenario.json"
    scenario.write_text(json.dumps({"data": data, "setInWindowFails": set_in_window_fails,
                                    "permissions": {"inject_script": [BUNDLE]} if permissions is None else permissions}))
    out = subprocess.run(["node", str(Path(__file__).with_name("gtm_sandbox.mjs")), str(TEMPLATE), str(scenario)],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)


FIELDS = {"bundleUrl": BUNDLE, "dataLayer": True, "redirectUrl": "", "gtag": False, "metaPixel": False,
          "consentMode": "off", "debug": False}


class TestSandboxedCode:
    def test_the_default_fields_set_a_data_layer_config_then_inject_the_bundle(self, tmp_path):
        result = run(tmp_path, FIELDS)
        assert result["calls"] == [["setInWindow", "OnceHubBridgeConfig", {"sinks": [{"type": "data_layer"}]}, True],
                                   ["injectScript", BUNDLE, "oncehub-bridge"]]
        assert result["outcome"] == {"success": 1, "failure": 0}

    def test_every_field_reaches_the_config_and_the_bridge_accepts_it(self, tmp_path):
        fields = {**FIELDS, "redirectUrl": "/thank-you?booking={booking_id}", "gtag": True,
                  "gtagSendTo": "AW-123456789/AbC-D_efG", "metaPixel": True, "metaPixelId": "1234567890",
                  "consentMode": "on", "debug": True}
        config = run(tmp_path, fields)["window"]["OnceHubBridgeConfig"]
        assert config == {"sinks": [{"type": "data_layer"}, {"type": "gtag", "send_to": "AW-123456789/AbC-D_efG"},
                                    {"type": "meta_pixel", "pixel_id": "1234567890"},
                                    {"type": "redirect", "url": "/thank-you?booking={booking_id}"}],
                          "consent": {"mode": "on"}, "debug": True}
        _, problems = parse_config(json.dumps(config), "https://www.example.com/book")
        assert problems == []

    def test_a_bundle_url_not_granted_by_the_permissions_is_never_injected(self, tmp_path):
        result = run(tmp_path, {**FIELDS, "bundleUrl": "https://evil.example/oncehub-bridge.js"})
        assert [c[0] for c in result["calls"]] == ["logToConsole"]
        assert result["outcome"] == {"success": 0, "failure": 1}

    def test_a_config_that_cannot_be_set_fails_the_tag_without_injecting(self, tmp_path):
        result = run(tmp_path, FIELDS, set_in_window_fails=True)
        assert "injectScript" not in [c[0] for c in result["calls"]]
        assert result["outcome"] == {"success": 0, "failure": 1}

    def test_it_requires_only_the_apis_its_permissions_cover(self, tmp_path):
        assert sorted(set(run(tmp_path, FIELDS)["required"])) == [
            "injectScript", "logToConsole", "queryPermission", "setInWindow"]


class TestTemplateFile:
    def test_the_info_and_parameters_are_valid_json_with_the_fields_the_code_reads(self):
        info = json.loads(section("INFO"))
        assert info["type"] == "TAG" and info["containerContexts"] == ["WEB"]
        parameters = json.loads(section("TEMPLATE_PARAMETERS"))
        names = {p["name"] for p in parameters} | {s["name"] for p in parameters for s in p.get("subParams", [])}
        read = set(re.findall(r"data\.([A-Za-z]+)", section("SANDBOXED_JS_FOR_WEB_TEMPLATE")))
        assert read - {"gtmOnSuccess", "gtmOnFailure"} == names

    def test_permissions_are_as_narrow_as_gtm_allows(self):
        permissions = {p["instance"]["key"]["publicId"]: p["instance"]["param"]
                       for p in json.loads(section("WEB_PERMISSIONS"))}
        assert set(permissions) == {"inject_script", "access_globals", "logging"}
        [urls] = [p["value"]["listItem"] for p in permissions["inject_script"] if p["key"] == "urls"]
        assert [u["string"] for u in urls] == [BUNDLE]  # one script URL, which the marketer sets to their own
        [keys] = [p["value"]["listItem"] for p in permissions["access_globals"] if p["key"] == "keys"]
        [entry] = keys
        granted = dict(zip([k["string"] for k in entry["mapKey"]],
                           [v.get("string", v.get("boolean")) for v in entry["mapValue"]]))
        assert granted == {"key": "OnceHubBridgeConfig", "read": False, "write": True, "execute": False}

    @pytest.mark.parametrize("url, ok", [(BUNDLE, True), ("http://www.example.com/oncehub-bridge.js", False),
                                         ("https://www.example.com/other.js", False)])
    def test_the_bundle_url_field_accepts_only_an_https_loader_url(self, url, ok):
        [field] = [p for p in json.loads(section("TEMPLATE_PARAMETERS")) if p["name"] == "bundleUrl"]
        [pattern] = [v["args"][0] for v in field["valueValidators"] if v["type"] == "REGEX"]
        assert bool(re.fullmatch(pattern, url)) is ok
