// The installable app's page side: registers the service worker, and keeps contacts logged
// on the phone in a queue (IndexedDB) until the server has them.
//
// Every contact gets an id made here (a UUID). The API stores a contact once per id and
// answers a resend with the contact already stored, so sending again after a lost answer
// is always safe. Entries carry the account that logged them and are only ever sent from a
// page signed in as that account (a phone may be shared). See docs/offline.md.
(function () {
  "use strict";

  const DB_NAME = "divert-offline";
  const STORE = "contacts";
  const RETRY_MS = 20000;
  const CONTACT_PAGE = /\/casework\/enrollments\/(\d+)\/contacts\/new\/?$/;

  function meta(name) {
    const el = document.querySelector('meta[name="' + name + '"]');
    return el ? el.content : "";
  }

  // Who is signed in, and the site's time zone: from the page when online, else as last seen.
  function context() {
    const user = meta("divert-user");
    const zone = meta("divert-zone");
    if (user) {
      try {
        localStorage.setItem("divert-user", user);
        localStorage.setItem("divert-zone", zone);
      } catch (e) { /* storage refused: fine */ }
      return { user: user, zone: zone, signedIn: true };
    }
    let stored = { user: "", zone: "" };
    try {
      stored = { user: localStorage.getItem("divert-user") || "", zone: localStorage.getItem("divert-zone") || "" };
    } catch (e) { /* storage refused */ }
    return { user: stored.user, zone: stored.zone, signedIn: false };
  }

  // --- IndexedDB --------------------------------------------------------------------------
  function openDb() {
    return new Promise(function (resolve, reject) {
      const request = indexedDB.open(DB_NAME, 1);
      request.onupgradeneeded = function () {
        request.result.createObjectStore(STORE, { keyPath: "client_id" });
      };
      request.onsuccess = function () { resolve(request.result); };
      request.onerror = function () { reject(request.error); };
    });
  }

  function tx(mode, work) {
    return openDb().then(function (db) {
      return new Promise(function (resolve, reject) {
        const t = db.transaction(STORE, mode);
        const result = work(t.objectStore(STORE));
        t.oncomplete = function () { db.close(); resolve(result && result.result); };
        t.onerror = function () { db.close(); reject(t.error); };
      });
    });
  }

  const queue = {
    all: function () { return tx("readonly", function (s) { return s.getAll(); }); },
    put: function (entry) { return tx("readwrite", function (s) { return s.put(entry); }); },
    remove: function (id) { return tx("readwrite", function (s) { return s.delete(id); }); },
  };

  // --- time: the form shows the site's wall clock; the API takes an instant -----------------
  function parts(ms, zone) {
    const out = {};
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
      hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(ms)).forEach(function (p) { out[p.type] = p.value; });
    return out;
  }

  function offsetMinutes(ms, zone) {
    const p = parts(ms, zone);
    const asUtc = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour % 24, +p.minute, +p.second);
    return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60000);
  }

  function toInstant(local, zone) {
    if (!zone) return new Date(local).toISOString();
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
    if (!m) return "";
    const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
    let ms = guess - offsetMinutes(guess, zone) * 60000;
    ms = guess - offsetMinutes(ms, zone) * 60000; // right on both sides of a DST change
    return new Date(ms).toISOString();
  }

  function nowLocal(zone) {
    const d = new Date();
    if (!zone) {
      const pad = function (n) { return String(n).padStart(2, "0"); };
      return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate()) + "T" + pad(d.getHours()) + ":" + pad(d.getMinutes());
    }
    const p = parts(d.getTime(), zone);
    return p.year + "-" + p.month + "-" + p.day + "T" + p.hour + ":" + p.minute;
  }

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, function (x) { return x.toString(16).padStart(2, "0"); }).join("");
    return h.slice(0, 8) + "-" + h.slice(8, 12) + "-" + h.slice(12, 16) + "-" + h.slice(16, 20) + "-" + h.slice(20);
  }

  function csrfToken() {
    const m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return m ? decodeURIComponent(m[1]) : "";
  }

  // --- sending ----------------------------------------------------------------------------
  let syncing = false;
  let notice = "";
  let sentNow = 0;

  function payload(entry) {
    return {
      client_id: entry.client_id,
      occurred_at: entry.occurred_at,
      place: entry.place,
      kind: entry.kind,
      minutes: entry.minutes === "" || entry.minutes == null ? null : Number(entry.minutes),
      present: entry.present,
      note: entry.note,
    };
  }

  function sync() {
    const ctx = context();
    if (syncing || !ctx.user || !ctx.signedIn) return Promise.resolve();
    syncing = true;
    notice = "";
    return queue.all().then(function (entries) {
      const mine = entries.filter(function (e) { return e.user === ctx.user && !e.error; });
      let chain = Promise.resolve(true);
      mine.forEach(function (entry) {
        chain = chain.then(function (go) {
          if (!go) return false;
          return fetch("/api/v1/casework/enrollments/" + entry.enrollment + "/contacts", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrfToken() },
            body: JSON.stringify(payload(entry)),
          }).then(function (response) {
            if (response.status === 200 || response.status === 201) {
              sentNow += 1;
              return queue.remove(entry.client_id).then(function () { return true; });
            }
            if (response.status === 401) {
              notice = "Log in again to send the contacts waiting on this phone.";
              return false;
            }
            if (response.status === 422 || response.status === 404 || response.status === 403) {
              return response.json().catch(function () { return {}; }).then(function (body) {
                const detail = Array.isArray(body.detail) ? body.detail : [{ field: "", message: body.detail || "refused" }];
                entry.error = detail.map(function (d) { return (d.field ? d.field + ": " : "") + d.message; }).join("; ");
                return queue.put(entry).then(function () { return true; });
              });
            }
            return false; // the server is struggling: try again later
          }, function () {
            return false; // no network yet
          });
        });
      });
      return chain;
    }).catch(function () { /* IndexedDB unavailable: nothing queued */ })
      .then(function () { syncing = false; return render(); });
  }

  // --- showing the queue ------------------------------------------------------------------
  function render() {
    const boxes = document.querySelectorAll("[data-queue-status]");
    if (!boxes.length) return Promise.resolve();
    const ctx = context();
    return queue.all().then(function (entries) {
      const mine = entries.filter(function (e) { return e.user === ctx.user; });
      const waiting = mine.filter(function (e) { return !e.error; });
      const refused = mine.filter(function (e) { return e.error; });
      boxes.forEach(function (box) {
        box.textContent = "";
        box.classList.toggle("waiting", waiting.length > 0);
        const p = document.createElement("p");
        p.className = "queue-count";
        p.dataset.waiting = String(waiting.length);
        if (waiting.length) {
          p.textContent = waiting.length + (waiting.length === 1 ? " contact" : " contacts") + " waiting to send.";
        } else if (sentNow) {
          p.textContent = "All contacts sent (" + sentNow + " just now).";
        } else {
          p.textContent = "No contacts waiting.";
        }
        box.appendChild(p);
        if (notice) {
          const n = document.createElement("p");
          n.className = "error";
          n.textContent = notice;
          box.appendChild(n);
        }
        if (refused.length) {
          const list = document.createElement("ul");
          refused.forEach(function (e) {
            const li = document.createElement("li");
            li.className = "error";
            li.textContent = "Not accepted (" + e.local_when + "): " + e.error + " ";
            const drop = document.createElement("button");
            drop.type = "button";
            drop.className = "link";
            drop.textContent = "Discard";
            drop.addEventListener("click", function () { queue.remove(e.client_id).then(render); });
            li.appendChild(drop);
            list.appendChild(li);
          });
          box.appendChild(list);
        }
      });
    }).catch(function () { /* no IndexedDB */ });
  }

  // --- the form ---------------------------------------------------------------------------
  function enrollmentOf(form) {
    if (form.dataset.enrollment) return form.dataset.enrollment;
    const m = CONTACT_PAGE.exec(location.pathname);
    return m ? m[1] : "";
  }

  function fresh(form, zone) {
    form.reset();
    form.elements.client_id.value = newId();
    form.elements.occurred_at.value = nowLocal(zone);
  }

  function takeOver(form) {
    const ctx = context();
    const enrollment = enrollmentOf(form);
    if (!enrollment || !window.indexedDB) return; // the form then posts to the server itself
    if (!form.elements.client_id.value) form.elements.client_id.value = newId();
    if (!form.elements.occurred_at.value) form.elements.occurred_at.value = nowLocal(ctx.zone);
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      const data = new FormData(form);
      const local = String(data.get("occurred_at") || "");
      const entry = {
        client_id: String(data.get("client_id") || newId()),
        user: ctx.user,
        enrollment: enrollment,
        local_when: local.replace("T", " "),
        occurred_at: toInstant(local, ctx.zone),
        place: data.get("place"),
        kind: data.get("kind"),
        minutes: data.get("minutes"),
        present: data.get("present") || "",
        note: data.get("note") || "",
        queued_at: new Date().toISOString(),
      };
      if (!entry.occurred_at) {
        form.elements.occurred_at.focus();
        return;
      }
      queue.put(entry).then(function () {
        fresh(form, ctx.zone);
        return render();
      }).then(sync);
    });
  }

  function showShell() {
    const section = document.getElementById("offline-contact");
    if (!section) return;
    const m = CONTACT_PAGE.exec(location.pathname);
    if (m) {
      section.hidden = false;
      document.getElementById("offline-record").textContent = "#" + m[1];
    }
  }

  function start() {
    if ("serviceWorker" in navigator && window.isSecureContext) {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(function () { /* optional */ });
    }
    showShell();
    document.querySelectorAll("form[data-offline-queue]").forEach(takeOver);
    render();
    if (context().signedIn) {
      sync();
      window.addEventListener("online", sync);
      setInterval(sync, RETRY_MS);
    } else if (document.getElementById("offline-contact")) {
      // The shell cannot send (it knows no session): back online, load the real page, which does.
      window.addEventListener("online", function () { location.reload(); });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
