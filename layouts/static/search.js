// The search page: Pagefind's interface over the index `python build.py` writes into
// pagefind/. Each language has its own index; the page's own comes first and the others
// are merged in, so a search finds English and Indonesian articles alike. The words of
// the header's search form arrive as ?q= and are searched at once.
(() => {
  "use strict";
  const box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  const bundle = box.dataset.bundle;
  const [, ...others] = (box.dataset.languages || "").split(" ").filter(Boolean);
  const ui = new PagefindUI({
    element: box,
    bundlePath: bundle,
    showSubResults: true,
    showImages: false,
    resetStyles: false,
    // The same index under another spelling: Pagefind skips a merge of its own path.
    mergeIndex: others.map((language) => ({
      bundlePath: new URL(bundle, location.href).href,
      language,
    })),
  });
  // The page's visible label names Pagefind's input (it has a placeholder only).
  const input = box.querySelector("input");
  if (input) input.id = "search-words";
  const query = new URLSearchParams(location.search).get("q");
  if (query) ui.triggerSearch(query);
})();
