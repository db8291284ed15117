// The search page: Pagefind's interface over the index `python build.py` writes into
// pagefind/. The index is in shards (the topics, the articles by period), each a bundle
// of its own with one index per language, listed in pagefind/shards.json; the first
// shard that has the page's language leads (its word stems are the page's language's),
// and every other shard and language is merged in, so a search finds English and
// Indonesian articles of every year alike. The words of the header's search form arrive
// as ?q= and are searched at once.
(() => {
  "use strict";
  const box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") return;
  const bundle = new URL(box.dataset.bundle, location.href).href;
  const language = document.documentElement.lang.toLowerCase();

  // Pagefind's interface merges the indexes one after another, each waiting for its
  // list and metadata: with a dozen shards that is seconds. So the script merges them
  // all at once through Pagefind's own module, which the interface then shares (one
  // module per URL), before the interface is made.
  async function start(shards) {
    const indexes = shards.flatMap((shard) =>
      shard.languages.map((lang) => ({ bundlePath: `${bundle}${shard.name}/`, language: lang })),
    );
    const lead =
      indexes.find((index) => index.language.toLowerCase() === language) || indexes[0];
    if (!lead) return;
    const pagefind = await import(`${bundle}pagefind.js`);
    // The leading index under another spelling than the merged ones (an absolute path,
    // not a URL): Pagefind skips a merge whose path starts its own.
    await pagefind.options({ basePath: new URL(lead.bundlePath).pathname });
    await pagefind.init();
    await Promise.all(
      indexes
        .filter((index) => index !== lead)
        .map((index) => pagefind.mergeIndex(index.bundlePath, { language: index.language })),
    );
    const ui = new PagefindUI({
      element: box,
      bundlePath: bundle,
      showSubResults: true,
      showImages: false,
      resetStyles: false,
    });
    // The page's visible label names Pagefind's input (it has a placeholder only).
    const input = box.querySelector("input");
    if (input) input.id = "search-words";
    const query = new URLSearchParams(location.search).get("q");
    if (query) ui.triggerSearch(query);
  }

  fetch(`${bundle}shards.json`)
    .then((response) => response.json())
    .then((listing) => start(listing.shards))
    .catch((error) => console.error("The search index could not be loaded:", error));
})();
