"""bridge/_metadata.py: pydantic's plugin search runs where it is switched on, and costs no import where it is off."""

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

BOOKING = textwrap.dedent("""
    import json, sys
    from bridge import Bridge
    from bridge.testing import SAMPLE_CLASSIC_PAYLOAD
    bridge = Bridge()
    bridge.start({"config": json.dumps({"sinks": [{"type": "data_layer"}]}), "page": {"url": "https://site.example/"}})
    answer = bridge.process({"inputs": [{"kind": "callback", "has_argument": True, "data": SAMPLE_CLASSIC_PAYLOAD}]})
    report = {"booked": [e["name"] for result in answer["results"] for e in result["events"]],
              "imported": sorted(m for m in sys.modules if m.startswith("importlib.metadata"))}
""")

PLUGIN = textwrap.dedent("""
    seen = []

    class Plugin:
        def new_schema_validator(self, schema, schema_type, schema_type_path, schema_kind, config, plugin_settings):
            seen.append(schema_type.__name__)
            return None, None, None

    plugin = Plugin()
""")


def run(code: str, path: Path | None = None, plugins_off: bool = False) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("PYDANTIC_DISABLE_PLUGINS", "PYTHONPATH")}
    env["PYTHONPATH"] = os.pathsep.join(str(p) for p in (ROOT, path) if p)
    if plugins_off:
        env["PYDANTIC_DISABLE_PLUGINS"] = "__all__"
    out = subprocess.run([sys.executable, "-c", code + "\nprint(json.dumps(report))"], capture_output=True, text=True,
                         env=env, cwd=ROOT, timeout=120)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def installed_plugin(tmp_path: Path) -> Path:
    """A distribution with a `pydantic` entry point, as `pip install` leaves one."""
    (tmp_path / "seen_plugin.py").write_text(PLUGIN, encoding="utf-8")
    dist = tmp_path / "seen_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: seen-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[pydantic]\nseen = seen_plugin:plugin\n", encoding="utf-8")
    return tmp_path


class TestPluginSearchOff:
    def test_a_booking_imports_no_package_metadata(self):
        """With PYDANTIC_DISABLE_PLUGINS (as the runtime sets it), the bridge's import and a booking leave
        importlib.metadata unimported."""
        report = run(BOOKING, plugins_off=True)
        assert report == {"booked": ["oncehub_booking_scheduled"], "imported": []}, report

    def test_a_later_import_gets_the_real_module(self):
        """The stand-in is gone once the bridge is imported: a sink's own `import importlib.metadata` works."""
        report = run(BOOKING + textwrap.dedent("""
            import importlib.metadata
            report["version"] = importlib.metadata.version("pydantic")
            import pydantic
            report["pydantic"] = pydantic.VERSION
        """), plugins_off=True)
        assert report["version"] == report["pydantic"], report


class TestPluginSearchOn:
    def test_an_installed_pydantic_plugin_sees_the_bridges_models(self, tmp_path):
        """Without the setting, pydantic finds a plugin installed beside the bridge and calls it for the bridge's
        models, as it would without the stand-in."""
        report = run(BOOKING + textwrap.dedent("""
            import importlib.metadata, seen_plugin
            report["seen"] = sorted(set(seen_plugin.seen))
            report["real"] = hasattr(sys.modules["importlib.metadata"], "distributions")
        """), path=installed_plugin(tmp_path))
        assert report["booked"] == ["oncehub_booking_scheduled"] and report["real"], report
        assert {"BookingEvent", "ClassicPayload", "ConsentConfig"} <= set(report["seen"]), report["seen"]

    def test_importlib_metadata_imported_first_is_left_as_it_is(self, tmp_path):
        """A program that imported importlib.metadata before the bridge keeps that module; no stand-in replaces it."""
        report = run("import importlib.metadata as first\n" + BOOKING + textwrap.dedent("""
            report["same"] = sys.modules["importlib.metadata"] is first
        """), path=installed_plugin(tmp_path))
        assert report["same"] and report["imported"], report
