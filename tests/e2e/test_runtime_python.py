"""The shipped runtime's Python decides as the CPython the unit tests run on.

The browser runs the bridge on Pyodide's CPython 3.14 with the bundle's trimmed standard library; the unit tests run
it on the machine's CPython (3.11). A difference between the two (urllib.parse, datetime, json, re, the annotations
pydantic reads, a module left out of the trimmed set) would show only in a visitor's browser. So the build's own
exercise of every code path (tools/runtime_exercise.py: each sink, consent, attribution, every input and error path,
validate_config) runs through a fresh bridge on both, with the same clock, and every answer must be the same. So do
300 of OnceHub's sample payloads with odd values put into them (dates, times, emails, phone numbers, URLs, text and
types that OnceHub never sends), 100 redirects with odd parameters, 150 configs with odd values, and redirect
targets that URL parsers treat unevenly: where the two could differ most. CPython runs without a time-zone database,
as the browser has none (so a Booking Calendar redirect's customer_time is null there: docs/install.md)."""

import copy
import json
import random
import subprocess
import sys
from pathlib import Path

from bridge.testing import SAMPLE_BOOKING_OBJECT, SAMPLE_CLASSIC_PAYLOAD
from tools import runtime_exercise

ROOT = Path(__file__).resolve().parents[2]
EXERCISE = ROOT / "tools" / "runtime_exercise.py"

JOB = """
import json
from bridge.app import Bridge, read_request
from bridge.testing import FakeClock
from bridge.worker import from_javascript

exercise = {"__name__": "runtime_exercise"}
exec(compile(EXERCISE, "runtime_exercise.py", "exec"), exercise)
bridge = Bridge(clock=FakeClock())
process = from_javascript(bridge.process_json)  # in the runtime, the JavaScript function the hosts export
calls = {"start": lambda text: json.dumps(bridge.start(read_request(text))),
         "process": process, "validate_config": bridge.validate_config_json}
answers = [[name, json.loads(calls[name](text))] for name, text in exercise["calls"]()]
answers += [["process", json.loads(process(text))] for text in ODD]
answers += [["validate_config", json.loads(bridge.validate_config_json(text))] for text in TARGETS + CONFIGS]
json.dumps(answers, sort_keys=True)
"""
"""Run by both interpreters; its last line is the result (Pyodide's runPython returns the last expression). In the
runtime the `process` calls go as the page's do: a string into the JavaScript function the runtime hosts export, whose
UTF-8 bytes reach Python (bridge/worker.py, `from_javascript`); the odd requests' text is not ASCII-escaped, as the
loader's JSON.stringify leaves it."""

CPYTHON = """
import sys
sys.modules["tzdata"] = None  # no time-zone database, as in the browser (with PYTHONTZPATH empty)
sys.path.insert(0, sys.argv[1])
source = open(sys.argv[2], encoding="utf-8").read().rstrip().split("\\n")
namespace = {}
exec("\\n".join(source[:-1]), namespace)
print(eval(source[-1], namespace))
"""


ODD_VALUES = [None, True, 0, -1, 2**53 + 1, 1.5, -0.0, 1e300, "", " ", "x" * 300, "Ünïcødé ß", "😀", "\u0000",
              "2020-02-30T10:00:00", "2020-01-01T00:00:00.1234567Z", "2020-01-01 10:00", "2020-01-01T24:00:00",
              "2020-01-01T10:00:00+14:00", "2020-W01-1", "20200101T100000Z", "0001-01-01T00:00:00", "1e3",
              " JOHN.Smith+tag@GMail.com ", "a@b", "@", "+1 (202) 555-0195", "00491701234567", "٠١٢٣٤٥٦٧٨٩",
              "+971 ٥٠ ١٢٣ ٤٥٦٧", "+971 ５０ １２３ ４５６７",
              "javascript:alert(1)", "https://evil.example/x?y=1#z", "//evil.example", "/thanks?b=1", "BKNG-ÄÖÜ",
              "Asia/Kolkata", "Mars/Olympus", "-5", "+05:30", "60", "-60", [], {}, ["a", 1], {"a": {"b": []}}]


REDIRECT_TARGETS = [
    "/thank-you?b={booking_id}", "thanks", "https://site.example/ok", "https://SITE.example:443/",
    "HTTPS://SITE.EXAMPLE/", "https://site.example./", "https://shop.example/t", "ftp://shop.example/t",
    "javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,hi",
    "//evil.example/x", "///evil.example", "/..//evil.example", "https://site.example.evil.example/",
    "https://user:pass@site.example/", "https://site.example@evil.example/", "https://site.example:443@evil.example/",
    "https://site.example#@evil.example", "https://site.example\\@evil.example", "/\\evil.example/",
    " javascript:alert(1)", "java\tscript:alert(1)", "\u0000https://site.example/",
    "http://site.example/", "https://site.example:8443/", "https://site.example:0/", "https://site.example:65536/",
    "https:site.example/x", "https:/x", "%2F%2Fevil.example", "/%09/evil.example",
    "https://[::1]/", "https://[v1.x]/", "https://xn--80ak6aa92e.com/", "https://site.example/\u2028",
    "/thanks?email={customer.email}", "/t?n={note}", "/t?{booking_id", "/t?b={nope}",
    "https://site.example/" + "x" * 3000,
]
"""Redirect targets the unit tests check (tests/unit/test_url_policy.py) and more that URL parsers treat unevenly."""


def leaf_paths(value, path=()):
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in leaf_paths(item, path + (key,))] or [path]
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in leaf_paths(item, path + (i,))] or [path]
    return [path]


def put(value, path, new):
    for step in path[:-1]:
        value = value[step]
    value[path[-1]] = new


def odd_requests(count=300, redirects=100, batch=50, seed=20261203) -> list[str]:
    """`count` sample payloads (classic callbacks and Booking Calendar messages) with one to three leaves set to an
    odd value, and `redirects` of the exercise's redirect data with one to three parameters set to odd text, as
    `process` requests of `batch` inputs each; the same for every run."""
    rng = random.Random(seed)
    inputs = []
    shapes = [i for i in runtime_exercise.inputs() if isinstance(i, dict) and i.get("kind") == "redirect"][:2]
    texts = [v for v in ODD_VALUES if isinstance(v, str)]
    for n in range(redirects):
        redirect = copy.deepcopy(shapes[n % 2])
        for pair in rng.sample(redirect["params"], rng.randint(1, 3)):
            pair[1] = rng.choice(texts)
        inputs.append(redirect)
    for text in texts:  # and each odd text as the time of each shape (Python 3.11 and 3.14 read times unevenly)
        for shape in shapes:
            redirect = copy.deepcopy(shape)
            for pair in redirect["params"]:
                if pair[0] in ("meetingTime", "starting_time"):
                    pair[1] = text
            inputs.append(redirect)
    for n in range(count):
        classic = n % 2 == 0
        payload = copy.deepcopy(SAMPLE_CLASSIC_PAYLOAD if classic else SAMPLE_BOOKING_OBJECT)
        if classic:  # a booking id of its own, unless an odd value replaces it: not a repeat of an earlier booking
            payload["bookingInfo"]["BookingId"] = [f"BKNG-ODD{n:05d}"]
        else:
            payload["id"] = f"BKNG-ODD{n:05d}"
        for path in rng.sample(leaf_paths(payload), rng.randint(1, 3)):
            put(payload, path, copy.deepcopy(rng.choice(ODD_VALUES)))
        if classic:
            inputs.append({"kind": "callback", "has_argument": True, "data": payload})
        else:
            inputs.append({"kind": "message", "origin": "https://oncehub.com",
                           "data": {"type": "oncehub.booking.scheduled", "payload": payload}})
    return [json.dumps({"inputs": inputs[i:i + batch], "consent": [], "storage": {}}, ensure_ascii=False)
            for i in range(0, len(inputs), batch)]


def odd_configs(count=150, seed=20261204) -> list[str]:
    """The exercise's config (every sink and section) with one to three leaves set to an odd value, `count` times."""
    rng = random.Random(seed)
    configs = []
    for _ in range(count):
        config = copy.deepcopy(runtime_exercise.CONFIG)
        for path in rng.sample(leaf_paths(config), rng.randint(1, 3)):
            put(config, path, copy.deepcopy(rng.choice(ODD_VALUES)))
        configs.append(json.dumps(config))
    return configs


def runtime_pyodide_dir() -> Path:
    [runtime] = (ROOT / "site" / "dist").glob("runtime-*/pyodide")
    return runtime


def answers_of(command: list[str], env: dict | None = None) -> list:
    out = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def first_difference(a, b, path="") -> str | None:
    if type(a) is not type(b):
        return f"{path}: {a!r:.200} != {b!r:.200}"
    if isinstance(a, dict):
        for key in sorted(set(a) | set(b)):
            if key not in a or key not in b:
                return f"{path}/{key}: only in {'CPython' if key in a else 'the runtime'}"
            found = first_difference(a[key], b[key], f"{path}/{key}")
            if found:
                return found
        return None
    if isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None if len(a) == len(b) else f"{path}: {len(a)} items != {len(b)}"
    return None if a == b else f"{path}: {a!r:.300} != {b!r:.300}"


def test_every_exercised_answer_is_the_same_in_the_shipped_runtime(tmp_path):
    job = tmp_path / "job.py"
    targets = [json.dumps({"sinks": [{"type": "redirect", "url": url, "allowed_hosts": ["shop.example"]}]})
               for url in REDIRECT_TARGETS]
    configs = odd_configs()
    job.write_text(f"EXERCISE = {EXERCISE.read_text(encoding='utf-8')!r}\nODD = {odd_requests()!r}\n"
                   f"TARGETS = {targets!r}\nCONFIGS = {configs!r}\n{JOB}", encoding="utf-8")
    env = {"PATH": "/usr/bin:/bin", "PYTHONTZPATH": "", "PYTHONHASHSEED": "random"}
    on_cpython = answers_of([sys.executable, "-c", CPYTHON, str(ROOT), str(job)], env)
    on_runtime = answers_of(["node", str(Path(__file__).with_name("runtime_python.mjs")), str(runtime_pyodide_dir()),
                             str(job)])
    assert [name for name, _ in on_cpython[:7]] == ["start", "process", "process", "process", "validate_config",
                                                    "validate_config", "validate_config"]
    bookings = [r for r in on_cpython[2][1]["results"] for e in r["events"] if e["kind"] == "booking"]
    assert len(bookings) >= 4  # the exercise's bookings were delivered, so the comparison covers the sinks' effects
    checked = len(REDIRECT_TARGETS) + len(configs)
    refused = [answer["problems"] for _, answer in on_cpython[-checked:-len(configs)]]
    assert 10 <= sum(bool(problems) for problems in refused) <= len(REDIRECT_TARGETS) - 5  # both kinds of target
    baseline = on_cpython[6][1]["problems"]  # the exercise's own config, unchanged
    faulty = [answer["problems"] != baseline for _, answer in on_cpython[-len(configs):]]
    assert 30 <= sum(faulty) <= len(configs) - 10  # odd values that a config takes, and many it refuses
    odd = [[e["kind"] for e in r["events"]] for _, answer in on_cpython[7:-checked] for r in answer["results"]]
    assert len(odd) == 400 + 2 * len([v for v in ODD_VALUES if isinstance(v, str)])  # one result per odd input
    assert 30 <= sum(kinds == ["booking"] for kinds in odd) <= 270 and 30 <= sum(kinds == ["error"] for kinds in odd)
    assert first_difference(on_cpython, on_runtime) is None, first_difference(on_cpython, on_runtime)


EXERCISED = """
from bridge.app import Bridge, read_request
from bridge.testing import FakeClock

exercise = {"__name__": "runtime_exercise"}
exec(compile(EXERCISE, "runtime_exercise.py", "exec"), exercise)
bridge_ = Bridge(clock=FakeClock())
calls = {"start": lambda text: bridge_.start(read_request(text)), "process": bridge_.process_json,
         "validate_config": bridge_.validate_config_json}
for name, text in exercise["calls"]():
    calls[name](text)
"""
"""The build's exercise of every code path (tools/runtime_exercise.py) through a fresh bridge, in a job's Python."""

PRECOMPILED_JOB = """
import builtins, dataclasses, json, marshal, re, sys
at_start = sys.modules.get("bridge._precompiled")  # installed by the runtime's sitecustomize, before Pyodide's Python
started = dict(at_start.counts) if at_start else None
import bridge
from bridge import _precompiled
""" + EXERCISED + """
exercised = dict(_precompiled.counts)
recording = marshal.loads(_precompiled.__loader__.get_data(_precompiled.__file__.rpartition("/")[0] + "/"
                                                           + _precompiled.DATA_FILE))


def fresh(key):
    kind, source = key[:2]
    if kind == "re":  # the pattern as re compiles it, against the one made from the recorded arguments
        made = _precompiled._sre.compile(source, *recording["codes"][key])
        compiled = _precompiled._re_compile(source, key[2])
        return (compiled, compiled.groupindex) if (made, made.groupindex) == (compiled, compiled.groupindex) else None
    if kind in ("exec", "eval"):
        return builtins.compile(source, "<string>", kind)
    return builtins.compile(*key[1:])


kinds = {}
differ = []
for key, code in recording["codes"].items():
    kinds[key[0]] = kinds.get(key[0], 0) + 1
    made = fresh(key)
    if made is None or (key[0] != "re" and made != code):
        differ.append(key[:2])


@dataclasses.dataclass(frozen=True)
class Late:  # a dataclass the build never saw
    field_no_build_has_seen: int = 2

late_pattern = re.compile(r"late-(?P<word>n[o]t seen by the build)")
json.dumps({"started": started, "exercised": exercised, "kinds": kinds, "same_python": recording["python"] == sys.version,
            "differ": differ[:5], "late": [Late().field_no_build_has_seen, repr(Late(3)),
                                           late_pattern.match("late-not seen by the build")["word"]],
            "after_late": dict(_precompiled.counts), "patched": _precompiled._patched, "one": at_start is _precompiled})
"""


def test_the_runtime_takes_the_code_the_standard_library_compiles_from_the_build(tmp_path):
    """bridge/_precompiled.py: on the shipped runtime every compile that Pyodide's start and the bridge's code paths
    make through dataclasses, collections, annotationlib and re is served from the build's recording, from the start
    on (the runtime's sitecustomize installs it), each recorded code and pattern is what this CPython compiles from its
    source, and a source the build never saw is compiled as before."""
    job = tmp_path / "job.py"
    job.write_text(f"EXERCISE = {EXERCISE.read_text(encoding='utf-8')!r}\n{PRECOMPILED_JOB}", encoding="utf-8")
    report = answers_of(["node", str(Path(__file__).with_name("runtime_python.mjs")), str(runtime_pyodide_dir()),
                         str(job)])
    assert report["patched"] == ["annotationlib", "dataclasses", "collections", "re._compiler"] and report["one"]
    assert report["started"]["compiled"] == 0 and report["started"]["taken"] >= 20  # Pyodide's own start
    assert report["same_python"] and report["differ"] == []
    assert report["kinds"]["compile"] >= 200 and report["kinds"]["re"] >= 30
    assert report["kinds"]["exec"] >= 30 and report["kinds"]["eval"] >= 10
    assert report["exercised"]["compiled"] == 0 and report["exercised"]["taken"] >= 900
    assert report["late"] == [2, "Late(field_no_build_has_seen=3)", "not seen by the build"]
    assert report["after_late"]["compiled"] == 2  # the late dataclass's methods and the late pattern, made as before


PLUGIN_SEARCH_JOB = """
import importlib.util, json, sys
import bridge  # first, as in the runtime's worker
import pydantic.plugin._loader as plugins
""" + EXERCISED + """
json.dumps({"imported": sorted(m for m in sys.modules if m.startswith(("importlib.metadata", "email"))),
            "plugins": list(plugins.get_plugins()),
            "shipped": [m for m in ("importlib.metadata", "email") if importlib.util.find_spec(m) is not None]})
"""


def test_the_runtime_neither_imports_nor_ships_what_only_a_plugin_search_needs(tmp_path):
    """pydantic's plugin search is off in the runtime (it installs no distribution), so `importlib.metadata`, which
    pydantic imports only for that search, is not imported by a start, the bridge's import or any of its code paths
    (bridge/_metadata.py), and the build, which no longer counts the modules its own steps import, leaves it and
    `email` out of the runtime's files."""
    job = tmp_path / "job.py"
    job.write_text(f"EXERCISE = {EXERCISE.read_text(encoding='utf-8')!r}\n{PLUGIN_SEARCH_JOB}", encoding="utf-8")
    report = answers_of(["node", str(Path(__file__).with_name("runtime_python.mjs")), str(runtime_pyodide_dir()),
                         str(job)])
    assert report == {"imported": [], "plugins": [], "shipped": []}, report


COPIES = """
import json
import js
from _oncehub_bridge_host import call_as_the_page
from pyodide.ffi import create_proxy
from bridge.app import Bridge
from bridge.testing import SAMPLE_CLASSIC_PAYLOAD
from bridge.worker import from_javascript

def requests(tag):
    for n in range(200):
        payload = json.loads(json.dumps(SAMPLE_CLASSIC_PAYLOAD))
        payload["bookingInfo"]["BookingId"] = [f"BKNG-{tag}{n:05d}"]
        payload["bookingInfo"]["Subject"] = "Kennenlernen – Zoë, 日本 😀"
        yield json.dumps({"inputs": [{"kind": "callback", "has_argument": True, "data": payload}], "consent": [],
                          "storage": {}}, ensure_ascii=False)

def settled_array_buffers():
    # A full collection frees array buffers on a background thread after it returns, so the count is read only once
    # a further collection finds it unchanged (a collection first finishes the sweep of the one before).
    count = None
    for _ in range(20):
        js.gc()
        previous, count = count, js.process.memoryUsage().arrayBuffers
        if count == previous:
            return count
    raise AssertionError("the count of array buffers did not settle")

def array_buffer_bytes_per_call(js_function, tag):
    texts = list(requests(tag))
    for text in texts[:150]:  # the first calls compile what the others run
        call_as_the_page(js_function, text)
    before = settled_array_buffers()  # then nothing is collected during the 50 calls measured (64 MB young space)
    for text in texts[150:]:
        call_as_the_page(js_function, text)
    return (js.process.memoryUsage().arrayBuffers - before) / len(texts[150:]), len(texts[-1])

def bridge():
    b = Bridge()
    b.start({"config": json.dumps({"sinks": [{"type": "data_layer"}]}), "page": {"url": "https://site.example/"}})
    return b.process_json

exported, length = array_buffer_bytes_per_call(from_javascript(bridge()), "BYTES")
as_a_string, _ = array_buffer_bytes_per_call(create_proxy(bridge()), "TEXT")
json.dumps([exported, as_a_string, length])
"""


def test_a_booking_crosses_into_the_runtime_without_a_copy_of_its_text(tmp_path):
    """The function the runtime hosts export for the page's bookings (`from_javascript`) hands Python the request's
    UTF-8 bytes from a buffer kept from call to call: no JavaScript array buffer per booking. A string argument, as
    before, costs a new array of 4 bytes a character per call (about 6 KB for a booking), which the worker's
    collections then had to free; the same measurement of that path shows it, so the measurement sees such copies."""
    job = tmp_path / "copies.py"
    job.write_text(COPIES, encoding="utf-8")
    exported, as_a_string, length = answers_of(
        ["node", "--expose-gc", "--max-semi-space-size=64", str(Path(__file__).with_name("runtime_python.mjs")),
         str(runtime_pyodide_dir()), str(job)])
    assert as_a_string >= length, (as_a_string, length)
    assert exported < 64, exported
