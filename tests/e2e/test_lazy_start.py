"""SPEC §1, §6: the runtime starts only when needed (near_embed, load, manual); until then the page fetches
nothing but the loader."""

from booking_payloads import classic
from harness import host_page

FAR_EMBED = '<div style="height:6000px">content</div><div id="SOIDIV_far" style="height:40px"></div>'


def runtime_requests(host) -> list[str]:
    return [url for url in host.watch.requests if "/runtime-" in url]


def brotli_bytes(host, urls) -> int:
    """What a browser that accepts brotli receives for `urls` (each file's `.br` twin where it has one)."""
    files = {host.root / url.removeprefix(f"{host.origin}/") for url in urls}
    return sum((twin if (twin := file.with_name(file.name + ".br")).exists() else file).stat().st_size for file in files)


class TestNearEmbed:
    def test_embed_far_below_the_fold_fetches_nothing_until_scrolled_into_view(self, host):
        """Far below the fold the bridge stays idle and fetches no runtime file; scrolled near it, it starts."""
        host.open(host_page("", {"sinks": [{"type": "data_layer"}]}, embed=FAR_EMBED), wait_ready=False)
        host.settle(1.5)
        assert host.page.evaluate("OnceHubBridge.status") == "idle"
        assert runtime_requests(host) == []
        host.page.evaluate("document.getElementById('SOIDIV_far').scrollIntoView()")
        host.wait_ready()
        assert any(url.endswith("/pyodide/pyodide.asm.wasm") for url in runtime_requests(host))
        # what a browser that accepts brotli receives for the start: at most 5 MB
        assert brotli_bytes(host, [url for url in host.watch.requests if "/dist/" in url]) <= 5_000_000

    def test_a_booking_with_the_embed_out_of_view_starts_the_runtime_and_is_delivered_once(self, host):
        """A callback starts the runtime at once; the booking is queued and delivered exactly once."""
        host.open(host_page("", {"sinks": [{"type": "data_layer"}]}, embed=FAR_EMBED), wait_ready=False)
        host.booking(classic("BKNG-LAZY00000001"))
        host.wait_ready()
        host.wait_for("(window.dataLayer || []).some(e => e && e.event === 'oncehub_booking_scheduled')")
        host.settle(0.5)
        assert [e["oncehub"]["booking_id"] for e in host.data_layer("oncehub_booking")] == ["BKNG-LAZY00000001"]

    def test_an_embed_added_late_by_a_tag_manager_starts_the_runtime(self, host):
        """An OnceHub iframe inserted after load, in view, is noticed and starts the runtime."""
        host.open(host_page("", {"sinks": [{"type": "data_layer"}]}, embed=""), wait_ready=False)
        host.settle(0.8)
        assert host.page.evaluate("OnceHubBridge.status") == "idle"
        host.page.evaluate("""() => { const f = document.createElement('iframe');
            f.src = 'about:blank#https://go.oncehub.com/x'; f.id = 'SOIDIV_late'; document.body.appendChild(f); }""")
        host.wait_ready()

    def test_a_page_without_an_embed_fetches_only_the_loader(self, host):
        """No embed, no booking: the page, the loader and nothing else from the bundle."""
        host.open(host_page("", {"sinks": [{"type": "data_layer"}]}, embed=""), wait_ready=False)
        host.settle(2.0)
        assert host.page.evaluate("OnceHubBridge.status") == "idle"
        bundle = [url for url in host.watch.requests if "/dist/" in url]
        assert bundle == [f"{host.origin}/dist/oncehub-bridge.js"]
        # what a browser that accepts brotli receives for it: at most 5 KB in all
        assert brotli_bytes(host, bundle) <= 5000

    def test_the_loader_is_compiled_while_it_arrives_not_at_the_booking(self, host):
        """The loader as the page receives it opens with V8's compile hint, so that the functions a booking runs
        for the first time (its wrapper, the handover, the answer's handling) are compiled with the rest while the
        file streams in, not on the page's thread during the visitor's booking (tools/bundle.py)."""
        host.open(host_page("", {"sinks": [{"type": "data_layer"}]}, embed=""), wait_ready=False)
        text = host.page.evaluate("fetch(document.querySelector('script[src$=\"oncehub-bridge.js\"]').src)"
                                  ".then(r => r.text())")
        assert text.split("\n", 1)[0] == "//# allFunctionsCalledOnLoad"
        assert "SOAfterConfirmationFunction" in text


class TestOtherStartModes:
    def test_manual_waits_for_start(self, host):
        """"manual" ignores the embed in view; OnceHubBridge.start() starts the runtime and resolves ready."""
        host.open(host_page("", {"runtime": {"start": "manual"}}), wait_ready=False)
        host.settle(1.0)
        assert host.page.evaluate("OnceHubBridge.status") == "idle"
        assert runtime_requests(host) == []
        assert host.page.evaluate("OnceHubBridge.start().then(api => api.status)") == "ready"

    def test_load_starts_after_the_load_event_without_an_embed(self, host):
        """"load" starts the runtime after the page's load event, embed or not."""
        host.open(host_page("", {"runtime": {"start": "load"}}, embed=""))
        assert host.page.evaluate("OnceHubBridge.status") == "ready"


class TestRuntimeFetch:
    def test_a_start_fetches_each_runtime_file_once(self, host, served_requests):
        """Before PyScript starts, each large runtime file is asked for its answer only (HEAD), so that each body
        crosses the network once, into the cache, rather than once for the check and again for the worker; the
        small ones fetched whole for the check are then found in the cache by the worker."""
        served_requests.clear()
        host.open(host_page("", {"sinks": [{"type": "data_layer"}]}))
        gets = [line for line in served_requests if line.startswith("GET ") and "/runtime-" in line]
        assert [line for line in gets if line.endswith("/pyodide/pyodide.asm.wasm")] != []
        assert [line for line in gets if line.endswith("/pydantic_core/core_schema.pyc")] != []
        assert [line for line in gets if line.endswith("/pydantic_core/_pydantic_core.cpython-314-wasm32-emscripten.wasm")] != []
        assert sorted(gets) == sorted(set(gets)), "a runtime file was fetched twice"
