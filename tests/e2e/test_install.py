"""SPEC §1, §5, §6: one script tag under any path, config from a block or a URL, readable config errors."""

import json

from booking_payloads import classic
from harness import host_page


class TestInstall:
    def test_public_api_exists_synchronously(self, host):
        """window.OnceHubBridge and the callback exist as soon as the loader ran, before the runtime is ready."""
        probe = """<script>window.probe = {status: OnceHubBridge.status, version: OnceHubBridge.version,
          hasReady: typeof OnceHubBridge.ready.then, hasOn: typeof OnceHubBridge.on,
          callback: typeof window.SOAfterConfirmationFunction};</script>"""
        host.open(host_page(probe, {"sinks": [{"type": "data_layer"}]}))
        probe = host.page.evaluate("window.probe")
        assert probe == {"status": "idle", "version": probe["version"], "hasReady": "function",
                         "hasOn": "function", "callback": "function"}
        assert probe["version"][0].isdigit()
        assert host.page.evaluate("OnceHubBridge.status") == "ready"

    def test_bundle_works_under_any_path(self, host):
        """The folder served under a deep path finds its own runtime relative to the loader's src."""
        host.open(host_page("", {"sinks": [{"type": "data_layer"}]}, loader_path="/cdn/assets/v1/oncehub-bridge"))
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
        assert any(url.startswith(f"{host.origin}/cdn/assets/v1/oncehub-bridge/runtime-") and
                   url.endswith("/pyodide/pyodide.asm.wasm") for url in host.watch.requests)
        assert not any("/dist/" in url for url in host.watch.requests)

    def test_config_from_data_config_url(self, host):
        """A config fetched from the loader's data-config URL is used."""
        (host.root / "site-config.json").write_text(json.dumps({"sinks": [{"type": "data_layer", "name": "customLayer"}]}))
        host.open(host_page("", None, loader_attrs='data-config="/site-config.json"'))
        host.booking(classic())
        host.wait_for("(window.customLayer || []).filter(e => e && e.event).length > 0")
        assert host.page.evaluate("window.dataLayer") is None

    def test_python_runs_in_a_worker(self, host):
        """The runtime is fetched by a worker, not by the page's main thread."""
        host.open(host_page("", None))
        main_thread = host.page.evaluate(
            "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.endsWith('.wasm'))")
        assert main_thread == []
        assert any(url.endswith("pyodide.asm.wasm") for url in host.watch.requests)


class TestConfigErrors:
    def test_invalid_json_is_one_readable_error_and_the_default_still_works(self, host):
        """A config block that is not JSON is reported once; bookings still reach dataLayer."""
        host.watch.expect_console_error("oncehub-bridge")
        html = host_page("", None).replace(
            '<script src="/dist/', '<script type="application/json" id="oncehub-bridge-config">{"sinks": [</script>'
                                   '<script src="/dist/')
        host.open(html)
        assert len([e for e in host.watch.console_errors if "oncehub-bridge" in e]) == 1
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")

    def test_bad_sink_is_dropped_and_the_others_run(self, host):
        """An unknown sink type is named in one console error; the valid sink still delivers."""
        host.watch.expect_console_error("sinks[0]")
        host.open(host_page("", {"sinks": [{"type": "carrier_pigeon"}, {"type": "data_layer"}]}))
        [error] = [e for e in host.watch.console_errors if "oncehub-bridge" in e]
        assert "carrier_pigeon" in error
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")

    def test_unknown_top_level_key_is_reported(self, host):
        """A misspelt key is reported by name and ignored."""
        host.watch.expect_console_error("consnet")
        host.open(host_page("", {"consnet": {}, "sinks": [{"type": "data_layer"}]}))
        assert any("consnet" in e for e in host.watch.console_errors)

    def test_validate_config_reports_problems_without_applying_them(self, host):
        """OnceHubBridge.validateConfig(text) answers with the problems a draft config would have."""
        host.open(host_page("", {"sinks": [{"type": "data_layer"}]}))
        problems = host.page.evaluate(
            "OnceHubBridge.validateConfig(JSON.stringify({sinks: [{type: 'redirect', url: 'javascript:alert(1)'}]}))")
        assert len(problems) == 1 and problems[0].startswith("sinks[0] (redirect)")
        assert host.page.evaluate("OnceHubBridge.validateConfig('{\"sinks\": []}')") == []
        host.booking(classic())
        host.wait_for("(window.dataLayer || []).filter(e => e && e.event).length > 0")
