/* The demo's live inspector: each processed event (OnceHubBridge.on), what each sink did (recorded by
 * setup.js's stubs), localStorage, timings, the held redirect, and a config editor validated as you type with
 * OnceHubBridge.validateConfig. PII is masked on screen.
 */
import { mask } from "/loader/src/mask.js"; // the debug panel's own masking

var demo = window.OnceHubDemo, bridge = window.OnceHubBridge;
var root = document.getElementById("inspector");
var REDIRECT_SECONDS = 5;

root.innerHTML = [
  '<div class="insp-head"><h2 id="insp-title">Inspector</h2>',
  '<span class="badge" id="insp-status" role="status">loading</span></div>',
  '<dl class="timings"><div><dt>Runtime ready <small>since navigation start</small></dt>',
  '<dd id="insp-ready">starting\u2026</dd></div>',
  '<div><dt>Booking \u2192 last sink</dt><dd id="insp-latency">no booking yet</dd></div>',
  '<div><dt>Bundle</dt><dd id="insp-version"></dd></div></dl>',
  '<div class="redirect" id="insp-redirect" role="alert" hidden><p><strong>Redirect</strong> ',
  '<span id="insp-redirect-text"></span></p><code id="insp-redirect-url"></code><div class="row">',
  '<button type="button" class="primary" id="insp-go">Continue now</button>',
  '<button type="button" id="insp-stay">Stay on this page</button></div></div>',
  '<section aria-labelledby="insp-url-title" id="insp-url-section" hidden><h3 id="insp-url-title">Address bar ',
  '<small>OnceHub\u2019s automatic redirect</small></h3><dl class="url-scrub">',
  '<div><dt>OnceHub sent</dt><dd id="insp-url-sent"></dd></div>',
  '<div><dt>Removed by the loader</dt><dd id="insp-url-removed"></dd></div>',
  '<div><dt>What tags after it see</dt><dd><code id="insp-url-now"></code></dd></div></dl></section>',
  '<section aria-labelledby="insp-events-title"><h3 id="insp-events-title">Events <small>newest first \u00b7 PII masked</small></h3>',
  '<ol class="events" id="insp-events"><li class="empty">Pick a slot and book: each event the bridge processes, ',
  'and what every sink did with it, appears here.</li></ol></section>',
  '<section aria-labelledby="insp-config-title"><h3 id="insp-config-title">Config <small id="insp-config-origin"></small></h3>',
  '<label for="insp-config" class="hint">The <code>#oncehub-bridge-config</code> block of this page. ',
  'Edit it: it is checked as you type by the same Python models; apply reloads the page with it.</label>',
  '<textarea id="insp-config" spellcheck="false" autocomplete="off" rows="14"></textarea>',
  '<div id="insp-problems" class="problems" aria-live="polite"></div>',
  '<div class="row"><button type="button" class="primary" id="insp-apply">Apply &amp; reload</button>',
  '<button type="button" id="insp-reset">Reset to default</button></div></section>',
  '<section aria-labelledby="insp-storage-title"><h3 id="insp-storage-title">localStorage</h3>',
  '<div id="insp-storage"></div></section>'
].join("");
var $ = function (id) { return document.getElementById(id); };

// --- the address bar, on a page OnceHub's automatic redirect opened: parameter names only, never values -------

if (demo.arrivedWith && demo.arrivedWith.length) {
  var now = new URLSearchParams(location.search), removed = demo.arrivedWith.filter(function (n) { return !now.has(n); });
  $("insp-url-section").hidden = false;
  setText($("insp-url-sent"), demo.arrivedWith.join(", "));
  setText($("insp-url-removed"), removed.join(", ") || "nothing");
  setText($("insp-url-now"), (demo.pageViewSaw || location.href).replace(location.origin, ""));
}

// --- masking and formatting ----------------------------------------------------------------------------------

function json(value) { return JSON.stringify(mask(value), null, 2); }

// Long keys, JSON and URLs wrap where a reader expects, after . _ / & ? = , : [ ( or before a %-escape, never
// inside a word: the text gets a <wbr> at each of those places, and the CSS (overflow-wrap: break-word) breaks a
// word only when a single part is wider than its box.
function setText(node, text) {
  node.textContent = "";
  String(text).split(/(?<=[._\/&?=,:[(])|(?=%[0-9A-F]{2})/).forEach(function (part, i) {
    if (i) node.appendChild(document.createElement("wbr"));
    node.appendChild(document.createTextNode(part));
  });
}

function el(tag, className, text) {
  var node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) setText(node, text);
  return node;
}

function details(summary, value) {
  var box = el("details");
  box.appendChild(el("summary", "", summary));
  box.appendChild(el("pre", "", json(value)));
  return box;
}

function ms(value) { return value >= 1000 ? (value / 1000).toFixed(2) + " s" : Math.round(value) + " ms"; }

function brief(entry) {
  var d = entry.detail;
  if (entry.sink === "data_layer") return "dataLayer.push({event: \"" + (d && d.event) + "\", \u2026})";
  if (entry.sink === "local_storage") return "localStorage[\"" + d.key + "\"] updated";
  if (entry.sink === "redirect") return "navigate \u2192 " + d.url.replace(location.origin, "");
  if (entry.sink === "python") return d.channel + ": " + d.text;
  if (entry.sink === "beacon") return entry.what + " (" + ((d && d.event) || "") + ")";
  if (Array.isArray(d)) {
    return entry.what + "(" + d.map(function (a) {
      return typeof a === "string" ? JSON.stringify(mask(a)) : a && typeof a === "object" ? "{\u2026}" : String(a);
    }).join(", ") + ")";
  }
  return entry.what + "(\u2026)";
}

// --- events and what the sinks did ---------------------------------------------------------------------------

var list = $("insp-events"), current = null;

function addEvent(kind, event, name) {
  var empty = list.querySelector(".empty");
  if (empty) empty.remove();
  var card = el("li", "event event-" + kind);
  var head = el("div", "event-head");
  head.appendChild(el("span", "kind", kind));
  head.appendChild(el("code", "name", name));
  head.appendChild(el("time", "", "at " + ms(performance.now())));
  card.appendChild(head);
  var fields = el("dl", "fields");
  var shown = kind === "booking" ? ["booking_id", "subject", "starting_time", "source"] :
    kind === "error" ? ["code", "message", "source"] : ["type", "source"];
  shown.forEach(function (key) {
    if (event[key] === undefined || event[key] === null) return;
    var row = el("div");
    row.appendChild(el("dt", "", key));
    row.appendChild(el("dd", "", String(mask(event[key], key))));
    fields.appendChild(row);
  });
  if (event.user_data && event.user_data.sha256_email_address) {
    var hashed = el("div");
    hashed.appendChild(el("dt", "", "user_data.sha256_email_address"));
    hashed.appendChild(el("dd", "", mask(event.user_data.sha256_email_address)));
    fields.appendChild(hashed);
  }
  card.appendChild(fields);
  card.sinks = el("ul", "sinks");
  card.sinks.setAttribute("aria-label", "What the sinks did");
  card.appendChild(card.sinks);
  card.appendChild(details("Event as subscribers see it", event));
  card.kind = kind;
  card.startedAt = kind === "booking" ? demo.bookingSentAt : null;
  list.insertBefore(card, list.firstChild);
  current = card;
}

function addActivity(entry) {
  if (!current) addEvent("page", {}, "on page load");
  var item = el("li");
  item.appendChild(el("span", "sink sink-" + entry.sink, entry.sink));
  var what = el("details");
  what.appendChild(el("summary", "", brief(entry)));
  what.appendChild(el("pre", "", json(entry.detail)));
  item.appendChild(what);
  current.sinks.appendChild(item);
  if (entry.sink === "local_storage" || entry.sink === "attribution") showStorage();
  if (entry.sink === "redirect") holdRedirect(entry.detail.url);
  else if (current.kind === "booking" && current.startedAt !== null) {
    $("insp-latency").textContent = ms(entry.at - current.startedAt);
  }
}

["booking", "error", "funnel"].forEach(function (kind) {
  bridge.on(kind, function (event, name) { addEvent(kind, event, name); });
});
demo.activity.forEach(addActivity);
demo.onActivity(addActivity);

// --- localStorage --------------------------------------------------------------------------------------------

function showStorage() {
  var box = $("insp-storage"), keys = demo.storageKeys();
  box.textContent = "";
  keys.sinks.concat(keys.attribution ? [keys.attribution] : []).forEach(function (key) {
    var text = localStorage.getItem(key);
    if (text === null) { box.appendChild(el("p", "hint", "\"" + key + "\": nothing stored yet.")); return; }
    var value = text;
    try { value = JSON.parse(text); } catch (e) { /* show the text */ }
    var what = value && Array.isArray(value.bookings) ? value.bookings.length + " booking" +
      (value.bookings.length === 1 ? "" : "s") + " remembered" : "first-touch attribution";
    box.appendChild(details("\"" + key + "\": " + what, value));
  });
  if (!box.firstChild) box.appendChild(el("p", "hint", "This config stores nothing in localStorage."));
}
showStorage();

// --- the held redirect ---------------------------------------------------------------------------------------

var countdown = null;
function holdRedirect(url) {
  var left = REDIRECT_SECONDS;
  var box = $("insp-redirect"), rect;
  box.hidden = false;
  setText($("insp-redirect-url"), url.replace(location.origin, ""));
  rect = box.getBoundingClientRect();
  if (rect.top < 0 || rect.bottom > innerHeight) box.scrollIntoView({ behavior: "smooth", block: "center" });
  var tick = function () {
    $("insp-redirect-text").textContent = left > 0 ? "in " + left + " s to:" : "now to:";
    if (left-- <= 0) { clearInterval(countdown); demo.followRedirect(); }
  };
  tick();
  countdown = setInterval(tick, 1000);
}
$("insp-go").addEventListener("click", function () { clearInterval(countdown); demo.followRedirect(); });
$("insp-stay").addEventListener("click", function () {
  clearInterval(countdown);
  $("insp-redirect-text").textContent = "held. The bridge asked to go to:";
  $("insp-stay").hidden = true;
  $("insp-go").textContent = "Go there";
});

// --- status and timings --------------------------------------------------------------------------------------

$("insp-version").textContent = "oncehub-bridge " + bridge.version;
if (bridge.status === "idle") { // nothing to do yet on this page: the runtime waits for an embed or a booking
  $("insp-status").textContent = "idle";
  $("insp-ready").textContent = "not started: no embed near, no booking yet";
}
bridge.ready.then(function () {
  $("insp-status").textContent = "ready";
  $("insp-status").className = "badge ok";
  $("insp-ready").textContent = ms(performance.now());
  validate();
}, function () {
  $("insp-status").textContent = "failed";
  $("insp-status").className = "badge bad";
  $("insp-ready").textContent = "failed: " + bridge.error + "; bookings go to the next page";
});

// --- the config editor ---------------------------------------------------------------------------------------

var editor = $("insp-config"), timer = null, generation = 0;
try { editor.value = JSON.stringify(JSON.parse(demo.configText), null, 2); } catch (e) { editor.value = demo.configText; }
$("insp-config-origin").textContent = demo.configEdited ? "edited in this tab" : "this page's default";

function showProblems(problems) {
  var box = $("insp-problems");
  box.textContent = "";
  if (!problems.length) {
    box.className = "problems ok";
    box.textContent = editor.value === demo.configText || !editor.value.trim() ? "No problems: this is what the page runs."
      : "No problems. Apply to reload the page with it.";
    return;
  }
  box.className = "problems bad";
  box.appendChild(el("p", "", problems.length + (problems.length === 1 ? " problem" : " problems") +
                  " (a sink with a problem is dropped, the others run):"));
  var ul = el("ul");
  problems.forEach(function (p) { ul.appendChild(el("li", "", p)); });
  box.appendChild(ul);
}

function validate() {
  var mine = ++generation;
  $("insp-problems").className = "problems";
  $("insp-problems").textContent = bridge.status === "ready" ? "Checking\u2026" : "Waiting for the runtime\u2026";
  bridge.validateConfig(editor.value).then(function (problems) {
    if (mine === generation) showProblems(problems);
  }, function () { if (mine === generation) $("insp-problems").textContent = "The runtime is not available."; });
}

editor.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(validate, 300); });
$("insp-apply").addEventListener("click", function () { demo.applyConfig(editor.value); });
$("insp-reset").addEventListener("click", function () { demo.applyConfig(null); });
