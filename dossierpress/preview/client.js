// Live preview client for `dossier serve`. The preview server injects it into the pages it
// serves; it is never part of a built site. It listens on the server's Server-Sent Events:
//   reload  a build changed pages: reload this one if it is among them (keeping the scroll
//           position), go to the nearest page if this one is gone, or follow `navigate`;
//   css     only stylesheets changed: swap them without a reload;
//   errors  the build failed: show the errors over the page;
//   ok      the errors are fixed: hide them and reload.
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

  function reloadKeepingScroll() {
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
    const changed = data.changed || [];
    if (force || changed.length === 0 || changed.some((url) => normalise(url) === here)) {
      reloadKeepingScroll();
    }
  }

  function swapStylesheets(epoch) {
    for (const link of document.querySelectorAll('link[rel~="stylesheet"][href]')) {
      const url = new URL(link.href, location.href);
      if (url.origin !== location.origin) continue;
      url.searchParams.set("v", String(epoch));
      // Load the new sheet beside the old one, then drop the old: no unstyled flash.
      const fresh = link.cloneNode();
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
    const url = new URL("events", script.src);
    url.searchParams.set("epoch", script.dataset.epoch || "0");
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
