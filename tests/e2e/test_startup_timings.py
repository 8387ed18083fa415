"""OnceHubBridge.timings: when each stage of the start-up happened, in ms after navigation start, on both runtime
hosts (PyScript; Pyodide in a plain worker where the page's CSP forbids 'unsafe-eval'), and the debug panel's line."""

from __future__ import annotations

import pytest

from demo_helpers import documented_csp
from harness import host_page

STAGES = ["host", "files", "interpreter", "imported", "ready"]


@pytest.mark.parametrize("runtime_host", ["pyscript", "worker"])
def test_the_start_up_stages_are_timed_in_order(host, runtime_host):
    head = f'<meta http-equiv="Content-Security-Policy" content="{documented_csp(0)}">' if runtime_host == "worker" else ""
    host.open(host_page("", {"sinks": [{"type": "data_layer"}]}, head=head), wait_ready=False)
    host.wait_for("OnceHubBridge.timings && OnceHubBridge.timings.ready !== undefined", timeout_s=60)
    timings = host.page.evaluate("OnceHubBridge.timings")
    now = host.page.evaluate("performance.now()")
    expected = STAGES if runtime_host == "pyscript" else [s for s in STAGES if s != "files"]  # the worker fetches its own
    assert sorted(timings) == sorted(expected), timings
    times = [timings[stage] for stage in expected]
    assert all(isinstance(t, int) for t in times), timings
    assert 0 < times[0] and times == sorted(times) and times[-1] <= now, timings
    assert timings["imported"] - timings["interpreter"] > 0, "the bridge's import takes time in any browser"


def test_an_idle_bridge_has_no_timings_yet(host):
    host.open(host_page("", {"runtime": {"start": "manual"}, "sinks": [{"type": "data_layer"}]}), wait_ready=False)
    host.settle(0.5)
    assert host.page.evaluate("OnceHubBridge.status") == "idle"
    assert host.page.evaluate("OnceHubBridge.timings === undefined")
