// Live preview client for `dossier serve`. The preview server injects it into the pages it
// serves; it is never part of a built site. It listens on the server's Server-Sent Events:
//   reload  a build changed pages: if this one is among them, fetch it and patch the
//           document in place (see patchPage), keeping the stylesheets, the event stream,
//           the scroll position and the focus; reload it instead when patching is not safe.
//           Go to the nearest page if this one is gone, or follow `navigate`;
//   css     only stylesheets changed: swap them without a reload;
//   errors  the build failed: show the errors over the page;
//   ok      the errors are fixed: hide them and update the page as for `reload`.
// It names the page it shows when it connects, so a rebuild renders that page first and
// its `reload` event comes before the rest of the site is rendered.
(() => {
  "use strict";

  const script = document.currentScript;
  if (!script || typeof EventSource === "undefined") return;

  const OVERLAY_ID = "__dossier-overlay";
  // Keep in step with overlay_html() in server.py, which renders the same box for pages
  // loaded while the build is broken.
  const OVERLAY_STYLE =
    "position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;" +
    "box-sizing:border-box;background:rgba(24,24,24,.94);color:#fff;" +
    "font:14px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;text-align:left";

  const normalise = (path) => {
    let decoded = path;
    try {
      decoded = decodeURI(path);
    } catch (error) {
      // not valid percent-encoding: compare it as it is
    }
    return decoded.endsWith("/index.html") ? decoded.slice(0, -"index.html".length) : decoded;
  };
  const here = normalise(location.pathname);
  const scrollKey = "dossier-preview-scroll:" + here;

  function restoreScroll() {
    let saved = null;
    try {
      saved = sessionStorage.getItem(scrollKey);
      sessionStorage.removeItem(scrollKey);
    } catch (error) {
      return; // storage disabled: the browser's own restoration has to do
    }
    if (saved === null) return;
    const scroll = () => window.scrollTo(0, Number(saved));
    scroll();
    // Images and fonts may still change the page's height: scroll again once loaded.
    window.addEventListener("load", scroll, { once: true });
  }

  let leaving = false;

  function reloadKeepingScroll(reason) {
    console.debug(`dossier preview: reloading the page (${reason})`);
    leaving = true;
    try {
      sessionStorage.setItem(scrollKey, String(window.scrollY));
    } catch (error) {
      // storage disabled: reload anyway
    }
    location.reload();
  }

  function onReload(data, force) {
    for (const [gone, nearest] of Object.entries(data.removed || {})) {
      if (normalise(gone) === here) {
        location.replace(nearest);
        return;
      }
    }
    if (data.navigate && normalise(data.navigate) !== here) {
      location.assign(data.navigate);
      return;
    }
    // `every`: the server names no page, so any may have changed, and the stylesheets or
    // images with it: load it all again. In `ok` (forced) the fix gives back the last good
    // build, which the tab shows: a patch finds little or nothing to change.
    if (data.every && !force) return reloadKeepingScroll("every page changed");
    const changed = (data.changed || []).map(normalise);
    // A patch keeps the stylesheets, scripts and images the page has loaded: if one of
    // them changed, only a reload fetches it again. So does one that changed without the
    // page: the page may have come first, in an event of its own (the server renders the
    // open pages before the rest), or it may not have changed at all.
    const loaded = loadedPaths();
    if (changed.some((path) => loaded.has(path))) {
      return reloadKeepingScroll("a file the page loads changed");
    }
    if (!force && !changed.includes(here)) return;
    update();
  }

  // -- Patching the page in place ------------------------------------------------------
  //
  // The new version of the page is fetched and parsed with DOMParser; then the <head>'s
  // metadata (title, description, canonical link…) is replaced, the attributes of <html>
  // and <body> (lang, dir, class) are copied, and the body is morphed: equal nodes are
  // kept (so images are not fetched again and the focus stays where it is), changed text
  // is rewritten, and an element whose children differ in number gets the new children.
  // Wherever a patch could not give what a fresh load would, the tab reloads instead.

  // <link rel> values that only describe the page; any other link loads something.
  const METADATA_LINKS = new Set(["alternate", "author", "canonical", "license", "me"]);
  // <script type> values that make a script code (HTML standard); any other type is a
  // data block, such as JSON-LD, which is metadata.
  const CODE_TYPE = /^(|module|importmap|speculationrules)$|(java|ecma|j|live)script/;

  const isDataBlock = (el) =>
    el.localName === "script" &&
    !CODE_TYPE.test((el.getAttribute("type") || "").trim().toLowerCase());

  function isMetadata(el) {
    if (el.localName === "title" || isDataBlock(el)) return true;
    if (el.localName === "meta") {
      return !el.hasAttribute("http-equiv") && !el.hasAttribute("charset");
    }
    if (el.localName !== "link") return false;
    const rels = (el.getAttribute("rel") || "").toLowerCase().split(/\s+/).filter(Boolean);
    return rels.length > 0 && rels.every((rel) => METADATA_LINKS.has(rel));
  }

  // Stylesheets put in by swapStylesheets carry "?v=epoch": compared as the page wrote them.
  const writtenHref = new WeakMap();

  function resourceKey(el) {
    const written = writtenHref.get(el);
    if (written === undefined) return el.outerHTML;
    const copy = el.cloneNode(true);
    copy.setAttribute("href", written);
    return copy.outerHTML;
  }

  // The paths of the same-origin files this page loads (stylesheets, scripts, images…).
  function loadedPaths() {
    const paths = new Set();
    const add = (value) => {
      if (!value) return;
      try {
        const url = new URL(value, location.href);
        if (url.origin === location.origin) paths.add(normalise(url.pathname));
      } catch (error) {
        // not a URL: nothing the page loads
      }
    };
    for (const el of document.querySelectorAll("link[href]")) {
      if (!isMetadata(el)) add(writtenHref.get(el) ?? el.getAttribute("href"));
    }
    for (const el of document.querySelectorAll("[src]")) add(el.getAttribute("src"));
    for (const el of document.querySelectorAll("[srcset]")) {
      for (const candidate of el.getAttribute("srcset").split(",")) {
        add(candidate.trim().split(/\s+/)[0]);
      }
    }
    for (const el of document.querySelectorAll("object[data]")) add(el.getAttribute("data"));
    for (const el of document.querySelectorAll("video[poster]")) add(el.getAttribute("poster"));
    paths.delete(here);
    return paths;
  }

  const isClient = (el) => el.localName === "script" && el.src === script.src;

  // Why `next` (the fetched page) cannot be patched in, or "" when it can.
  function unpatchable(next) {
    if (!next.head || !next.body) return "the page has no head or body";
    const resources = (head) =>
      Array.from(head.children)
        .filter((el) => !isMetadata(el))
        .map(resourceKey)
        .join("\n");
    if (resources(document.head) !== resources(next.head)) {
      // Also when only their order changed: the cascade depends on it.
      return "the stylesheets, scripts or other resources in <head> changed";
    }
    for (const doc of [document, next]) {
      for (const el of doc.querySelectorAll("script")) {
        // The page's own scripts may have changed it as it loaded and would not run again.
        if (!isClient(el) && !isDataBlock(el)) return "the page has scripts of its own";
      }
      // Parsed without scripting (noscript) or inert (template): not as a tab parses them.
      if (doc.querySelector("body noscript, body template")) {
        return "the page has <noscript> or <template>";
      }
    }
    return "";
  }

  function syncAttributes(live, next) {
    for (const attr of Array.from(live.attributes)) {
      if (!next.hasAttributeNS(attr.namespaceURI, attr.localName)) {
        live.removeAttributeNS(attr.namespaceURI, attr.localName);
      }
    }
    for (const attr of Array.from(next.attributes)) {
      if (live.getAttributeNS(attr.namespaceURI, attr.localName) !== attr.value) {
        live.setAttributeNS(attr.namespaceURI, attr.name, attr.value);
      }
    }
  }

  // Make `live`'s subtree equal to `next`'s, keeping the nodes that are already equal.
  function morph(live, next) {
    syncAttributes(live, next);
    const before = live.childNodes;
    const after = Array.from(next.childNodes);
    if (before.length !== after.length) {
      // Through a fragment: spreading a long list (a topic's timeline) into arguments
      // could overflow the stack.
      const fragment = document.createDocumentFragment();
      for (const node of after) fragment.appendChild(node);
      live.replaceChildren(fragment);
      return;
    }
    for (let i = 0; i < after.length; i++) {
      const old = before[i];
      const fresh = after[i];
      if (old.isEqualNode(fresh)) continue;
      const text = old.nodeType === Node.TEXT_NODE || old.nodeType === Node.COMMENT_NODE;
      if (old.nodeType === fresh.nodeType && text) {
        old.data = fresh.data;
      } else if (
        old.nodeType === Node.ELEMENT_NODE &&
        fresh.nodeType === Node.ELEMENT_NODE &&
        old.namespaceURI === fresh.namespaceURI &&
        old.localName === fresh.localName
      ) {
        morph(old, fresh);
      } else {
        old.replaceWith(fresh);
      }
    }
  }

  // Where the focus is, to put it back on the same element if the morph replaced it.
  function focusPlace() {
    const el = document.activeElement;
    if (!el || el === document.body || !document.body.contains(el)) return null;
    const path = [];
    for (let node = el; node !== document.body; node = node.parentElement) {
      path.unshift(Array.prototype.indexOf.call(node.parentElement.children, node));
    }
    return { el, id: el.id, name: el.localName, path };
  }

  function restoreFocus(place) {
    if (!place || place.el.isConnected) return; // kept by the morph: still focused
    let target = place.id ? document.getElementById(place.id) : null;
    if (!target) {
      target = document.body;
      for (const index of place.path) target = target && target.children[index];
    }
    if (target && target.localName === place.name) target.focus({ preventScroll: true });
  }

  // Put `next` into the document. Synchronous, so the tab never paints a half-patched page.
  function patch(next) {
    const x = window.scrollX;
    const y = window.scrollY;
    // The head, if its metadata changed: the old out, the new in at the same places among
    // the resources (which stay: removing a stylesheet, even for a moment, restyles).
    const mine = Array.from(document.head.children);
    const theirs = Array.from(next.head.children);
    const metadata = (els) => els.filter(isMetadata);
    const same = (a, b) => a.length === b.length && a.every((el, i) => el.isEqualNode(b[i]));
    if (!same(metadata(mine), metadata(theirs))) {
      const kept = mine.filter((el) => !isMetadata(el));
      for (const el of metadata(mine)) el.remove();
      let at = 0;
      for (const el of theirs) {
        if (isMetadata(el)) document.head.insertBefore(el, kept[at] || null);
        else at += 1;
      }
    }
    syncAttributes(document.documentElement, next.documentElement);
    // The body, without what is the client's own: this script, and the error overlay,
    // which shows the latest event's errors (the fetched copy may be older or newer).
    for (const el of Array.from(next.body.querySelectorAll("script"))) {
      if (isClient(el)) {
        if (el.dataset.epoch) script.dataset.epoch = el.dataset.epoch;
        el.remove();
      }
    }
    const served = next.getElementById(OVERLAY_ID);
    if (served) served.remove();
    const overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
    script.remove();
    const focus = focusPlace();
    morph(document.body, next.body);
    document.body.append(script);
    if (overlay) document.body.append(overlay);
    restoreFocus(focus);
    if (window.scrollX !== x || window.scrollY !== y) window.scrollTo(x, y);
  }

  // Fetch this page and patch it in; the reason to reload instead, or "" when patched.
  async function patchPage() {
    const response = await fetch(location.href, {
      cache: "no-store",
      headers: { Accept: "text/html" },
    });
    const type = response.headers.get("Content-Type") || "";
    if (!response.ok || response.redirected || !/^text\/html\b/i.test(type)) {
      return `the page answered ${response.status} ${type}`;
    }
    const next = new DOMParser().parseFromString(await response.text(), "text/html");
    const problem = unpatchable(next);
    if (!problem) patch(next);
    return problem;
  }

  // One patch at a time; events that arrive meanwhile make one more, after it.
  let updating = false;
  let again = false;

  function update() {
    if (leaving) return;
    if (updating) {
      again = true;
      return;
    }
    updating = true;
    patchPage()
      .catch((error) => `patching failed: ${error}`)
      .then((problem) => {
        updating = false;
        if (problem) return reloadKeepingScroll(problem);
        if (again) {
          again = false;
          update();
        }
      });
  }

  function swapStylesheets(epoch) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("v", String(epoch));
      // Load the new sheet beside the old one, then drop the old: no unstyled flash.
      const fresh = link.cloneNode();
      writtenHref.set(fresh, writtenHref.get(link) ?? link.getAttribute("href"));
      fresh.href = url.href;
      fresh.addEventListener("load", () => link.remove(), { once: true });
      fresh.addEventListener("error", () => fresh.remove(), { once: true });
      link.after(fresh);
    }
  }

  function makeOverlay() {
    const overlay = document.createElement("div");
    overlay.id = OVERLAY_ID;
    overlay.setAttribute("role", "alertdialog");
    overlay.setAttribute("aria-modal", "true");
    overlay.setAttribute("aria-labelledby", OVERLAY_ID + "-title");
    overlay.style.cssText = OVERLAY_STYLE;
    const title = document.createElement("p");
    title.id = OVERLAY_ID + "-title";
    title.style.cssText = "margin:0 0 1em;font-weight:bold";
    const pre = document.createElement("pre");
    pre.style.cssText = "margin:0;white-space:pre-wrap";
    overlay.append(title, pre);
    document.body.append(overlay);
    return overlay;
  }

  function showErrors(lines) {
    const overlay = document.getElementById(OVERLAY_ID) || makeOverlay();
    const count = lines.length;
    overlay.querySelector("p").textContent =
      `Build failed: ${count} error${count === 1 ? "" : "s"}. ` +
      "The preview shows the last good build.";
    overlay.querySelector("pre").textContent = lines.join("\n");
  }

  function hideErrors() {
    const overlay = document.getElementById(OVERLAY_ID);
    if (overlay) overlay.remove();
  }

  let source = null;

  function connect() {
    // On reconnection EventSource itself sends the id (epoch) of the last event it got.
    // `page` tells the server which page this tab shows: a rebuild renders it first.
    const url = new URL("events", script.src);
    url.searchParams.set("epoch", script.dataset.epoch || "0");
    url.searchParams.set("page", location.pathname);
    source = new EventSource(url.href);
    const data = (event) => JSON.parse(event.data);
    source.addEventListener("reload", (event) => onReload(data(event), false));
    source.addEventListener("css", (event) => swapStylesheets(data(event).epoch));
    source.addEventListener("errors", (event) => showErrors(data(event).errors));
    source.addEventListener("ok", (event) => {
      hideErrors();
      onReload(data(event), true);
    });
  }

  // Free the connection when the tab leaves the page (browsers allow few per server) and
  // open it again if the page comes back from the back/forward cache.
  window.addEventListener("pagehide", () => source && source.close());
  window.addEventListener("pageshow", (event) => {
    if (event.persisted) connect();
  });

  restoreScroll();
  connect();
})();
