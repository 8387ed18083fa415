"""SPEC §1: the config from window.OnceHubBridgeConfig, and the loader injected late, as the GTM template does."""

from booking_payloads import classic
from harness import EMBED

INJECTED = """<!doctype html><html><head><meta charset="utf-8"><title>gtm</title></head><body>
<h1>Book a call</h1>""" + EMBED + """
<script>
  // what the template's sandboxed code does, after the page has loaded: set the config, then inject the loader
  window.addEventListener('load', () => setTimeout(() => {
    window.OnceHubBridgeConfig = {sinks: [{type: 'data_layer', name: 'viaTemplate'}], debug: false};
    const s = document.createElement('script');
    s.src = '/cdn/assets/v1/oncehub-bridge/oncehub-bridge.js';
    document.head.appendChild(s);
  }, 50));
</script></body></html>"""


class TestInjectedLikeTheGtmTemplate:
    def test_a_late_injected_loader_reads_the_global_config_and_finds_its_runtime(self, host):
        host.open(INJECTED, wait_ready=False)
        host.wait_for("window.OnceHubBridge && OnceHubBridge.status === 'ready'", timeout_s=60)
        host.booking(classic("BKNG-GTMTEMPLATE1"))
        host.wait_for("(window.viaTemplate || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        assert (host.page.evaluate("(window.dataLayer || []).filter(e => e && e.event).length")) == 0
        assert any("/cdn/assets/v1/oncehub-bridge/runtime-" in url for url in host.watch.requests)
