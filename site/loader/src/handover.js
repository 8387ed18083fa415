// Bookings not yet processed, kept in the visitor's sessionStorage until this page (or the next page of the site
// that runs the loader) has processed them; each entry names the page that owns it, so it is delivered once. A
// delivered entry stays as a tombstone {id} (no booking data): a page back from the back-forward cache whose runtime
// answers late then knows that another page delivered it.

var KEY = "oncehub_bridge_pending";
var MAX = 20;

function read() {
  try {
    var list = JSON.parse(window.sessionStorage.getItem(KEY) || "[]");
    return Array.isArray(list) ? list : [];
  } catch (e) { return []; }
}

function write(list) {
  try {
    window.sessionStorage.setItem(KEY, JSON.stringify(list.slice(-MAX)));
  } catch (e) { /* storage full or forbidden: the booking still goes through on this page if it can */ }
}

export function Handover(pageId) {
  return {
    /** Keep an entry {id, input} owned by this page. */
    keep: function (entry) {
      write(read().filter(function (e) { return e.id !== entry.id; }).concat([{ id: entry.id, owner: pageId, input: entry.input }]));
    },
    /** Take over every entry a page that is gone left; they become this page's. `livePages()`: the ids of the pages
     * still open in this tab's frames of this origin, which share this storage (a site's widget in a frame, or the
     * page that frames it): their entries stay theirs. Asked only when something is kept, as on most pages nothing
     * is. */
    adopt: function (livePages) {
      var list = read().filter(function (e) { return e && e.id; });
      var kept = list.filter(function (e) { return e.input; });
      var live = kept.length ? livePages() : [];
      var taken = kept.filter(function (e) { return live.indexOf(e.owner) === -1; });
      if (taken.length) {
        write(list.map(function (e) { return taken.indexOf(e) !== -1 ? { id: e.id, owner: pageId, input: e.input } : e; }));
      }
      return taken;
    },
    /** Whether this page still owns the entry (another page may have taken it over, or delivered it: a tombstone
     * has no owner). */
    owns: function (id) {
      var list = read();
      for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i].owner === pageId;
      return null; // not kept (storage unavailable, or not a booking): this page is the only one that has it
    },
    done: function (id) {
      write(read().map(function (e) { return e.id === id ? { id: id } : e; }));
    }
  };
}

/** The fallback target of a redirect template: placeholders left empty, same origin and http(s) only, or null. */
export function fallbackTarget(template) {
  try {
    var url = new URL(template.replace(/\{[^{}]*\}/g, ""), location.href);
    return url.origin === location.origin && /^https?:$/.test(url.protocol) ? url.href : null;
  } catch (e) { return null; }
}
