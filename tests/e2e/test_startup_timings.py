"""OnceHubBridge.timings: when each stage of the start-up happened, in ms after navigation start, on both runtime
hosts (PyScript; Pyodide in a plain worker where the page's CSP forbids 'unsafe-eval'), and the debug panel's line."""

from __future__ import annotations

import pytest

from demo_helpers import documented_csp
from booking_payloads import classic
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


PYSCRIPT_PACKAGE_PROBE = '''
import sys, types
from bridge.effects import Call
from bridge.sinks import Sink, SinkConfig

def has_columns(codes):
    """A compile at run time keeps each instruction's columns; the build's .pyc carry line numbers only."""
    return any(col is not None for code in codes for pos in code.co_positions() for col in pos[2:])

def functions(module):
    return [v.__code__ for v in vars(module).values()
            if isinstance(v, types.FunctionType) and v.__module__ == module.__name__]

class Probe(Sink):
    config_model = SinkConfig
    def on_booking(self, booking, context):
        package = {name: {"file": module.__file__, "functions": len(functions(module)),
                          "columns": has_columns(functions(module))}
                   for name, module in sys.modules.items()
                   if name.startswith("pyscript.") and getattr(module, "__file__", None)}
        return [Call(path="probed.push", args=[{"package": package, "this_module": has_columns([Probe.on_booking.__code__])}])]
'''


def test_pyscript_runs_its_own_package_from_the_builds_pyc(host):
    """PyScript writes its Python package as source at every start: the runtime host puts the build's .pyc of it into
    its __pycache__ first, so that it is not compiled in the browser."""
    host.open(host_page("<script>window.probed = [];</script>",
                        {"sinks": [{"type": "python", "module": "sinks/probe.py", "class": "Probe"}]}),
              others={"/sinks/probe.py": PYSCRIPT_PACKAGE_PROBE})
    host.booking(classic("BKNG-PYSCRIPTPYC1"))
    [report] = host.wait_for("window.probed.length && window.probed")
    assert report["this_module"] is True, "a module compiled in the browser has columns (the check can tell)"
    package = report["package"]
    assert {"pyscript.context", "pyscript.display", "pyscript.events"} <= set(package), package
    assert all(m["file"].startswith("/home/pyodide/pyscript/") for m in package.values()), package  # PyScript's own files
    with_code = {name: m for name, m in package.items() if m["functions"]}
    assert len(with_code) >= 5, package
    assert not any(m["columns"] for m in with_code.values()), with_code


PRECOMPILED_PROBE = '''
import sys
from bridge.effects import Call
from bridge.sinks import Sink, SinkConfig

class Probe(Sink):
    config_model = SinkConfig
    def on_booking(self, booking, context):
        precompiled = sys.modules.get("bridge._precompiled")
        return [Call(path="probed.push", args=[{
            "counts": dict(precompiled.counts) if precompiled else None,
            "patched": list(precompiled._patched) if precompiled else None,
            "site": getattr(sys.modules.get("sitecustomize"), "__file__", None)}])]
'''


@pytest.mark.parametrize("runtime_host", ["pyscript", "worker"])
def test_the_start_compiles_nothing_the_build_did_not(host, runtime_host):
    """bridge/_precompiled.py, installed by the runtime zip's sitecustomize before Pyodide's own Python: what the
    standard library compiles while Pyodide and PyScript start, the bridge is imported and a booking is made
    (generated methods, namedtuples, string annotations, patterns) is all taken from the build's recording."""
    head = f'<meta http-equiv="Content-Security-Policy" content="{documented_csp(0)}">' if runtime_host == "worker" else ""
    host.open(host_page('<script src="probed.js"></script>',  # a file: the strict policy allows no inline script
                        {"sinks": [{"type": "python", "module": "sinks/probe.py", "class": "Probe"}]}, head=head),
              others={"/sinks/probe.py": PRECOMPILED_PROBE, "/probed.js": "window.probed = [];"})
    host.booking(classic("BKNG-PRECOMPILED1"))
    [report] = host.wait_for("window.probed.length && window.probed")
    assert report["site"] and report["site"].endswith(".zip/sitecustomize.pyc"), report  # the runtime zip's
    assert report["patched"] == ["annotationlib", "dataclasses", "collections", "re._compiler"], report
    assert report["counts"]["taken"] >= 900 and report["counts"]["compiled"] == 0, report
