// The search page: Pagefind's JavaScript API does the searching (in the browser, from the static
// index the build wrote into pagefind/), and this script shows the results the way the site's own
// article lists look: topic, headline, date, excerpt. No framework, nothing from other hosts.

const PAGE_SIZE = 10; // results shown at once; "Show more results" adds as many again
const TYPING_PAUSE_MS = 200; // search once the reader pauses, not on every key
const SLOW_MS = 600; // say "Searching…" only when a search (the first, on a slow line) takes this long
const LANGUAGE = document.documentElement.lang || "en";
const DATES = new Intl.DateTimeFormat(LANGUAGE, { dateStyle: "long", timeZone: "UTC" });
const PLURALS = new Intl.PluralRules(LANGUAGE);

// The page's words in the site's language, from the build (data-words on the form).
let WORDS = {};
function say(name, values = {}, count = null) {
  let text = WORDS[name] ?? name;
  if (typeof text === "object") text = text[PLURALS.select(count)] ?? text.other;
  return text.replace(/%\((\w+)\)s/g, (_, key) => String(values[key] ?? ""));
}

// "2021-03-04T09:00:00+08:00" -> "March 4, 2021" (in the page's language), the date as the
// article itself shows it (its own day, not the reader's time zone), like the build's long_date.
function longDate(iso) {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  return match ? DATES.format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])))) : "";
}

// Pagefind's excerpt is the article's text with < and > escaped and each match wrapped in
// <mark>. Build it as text nodes and <mark> elements, never as HTML, so no article text can
// become markup here.
function excerptNodes(excerpt) {
  const nodes = [];
  let marked = false;
  for (const part of (excerpt || "").split(/(<\/?mark>)/)) {
    if (part === "<mark>" || part === "</mark>") {
      marked = part === "<mark>";
      continue;
    }
    if (!part) continue;
    const text = document.createTextNode(part.replace(/&lt;/g, "<").replace(/&gt;/g, ">"));
    if (marked) {
      const mark = document.createElement("mark");
      mark.append(text);
      nodes.push(mark);
    } else {
      nodes.push(text);
    }
  }
  return nodes;
}

function element(tag, className, ...children) {
  const made = document.createElement(tag);
  if (className) made.className = className;
  made.append(...children);
  return made;
}

function link(href, text) {
  const anchor = element("a", "", text);
  anchor.href = href;
  return anchor;
}

// One result, in the markup and classes of the site's article cards.
function resultItem(data, topicRoutes) {
  const item = element("li", "search-result");
  const topic = data.meta.topic;
  if (topic) {
    const route = topicRoutes.get(topic);
    item.append(element("p", "kicker", route ? link(route, topic) : topic));
  }
  item.append(element("h2", "card-title", link(data.url, data.meta.title || data.url)));
  if (data.meta.date) {
    const time = element("time", "", longDate(data.meta.date));
    time.dateTime = data.meta.date;
    item.append(element("p", "card-meta", time));
  }
  item.append(element("p", "card-summary search-excerpt", ...excerptNodes(data.excerpt)));
  return item;
}

// The runs of letters and digits in a text, lower case, without accents:
// "&lt;b&gt;Éclair," -> ["b", "eclair"].
function wordsIn(text) {
  const plain = text.replace(/&lt;/g, "<").replace(/&gt;/g, ">").normalize("NFD").replace(/\p{M}/gu, "");
  return plain.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
}

// When a word is nowhere in the index, Pagefind retries it shorter and shorter, down to one
// letter: "archive" then finds every "a". A typo one or two letters off is still worth showing
// ("fundraisingx" finds "fundraising"), but a match must share the query word's first three
// letters (or all of a shorter word) to count. Judged on the best result: the retry applies to
// the whole query, so if the best result is such a stray match, so are the rest.
function matchesQuery(data, term) {
  const marked = [...(data.excerpt || "").matchAll(/<mark>(.*?)<\/mark>/g)].flatMap((m) => wordsIn(m[1]));
  if (marked.length === 0) return true; // matched outside the excerpt (the title): trust it
  const starts = wordsIn(term).map((word) => word.slice(0, 3));
  return marked.some((found) => starts.some((start) => found.startsWith(start)));
}

function describe(count, term, topic) {
  const what = count === 0 ? say("none", { term }) : say("results", { count, term }, count);
  return topic ? say("in_topic", { what, topic }) : what;
}

// Keep the query in the address, so a search can be shared, bookmarked and reloaded.
function rememberInAddress(term, topic) {
  const params = new URLSearchParams();
  if (term) params.set("q", term);
  if (topic) params.set("topic", topic);
  const search = params.toString();
  history.replaceState(null, "", search ? `?${search}` : location.pathname);
}

function setUpSearch(form) {
  try { WORDS = JSON.parse(form.dataset.words || "{}"); } catch { WORDS = {}; }
  const query = form.elements.q;
  const topic = form.elements.topic;
  const status = document.getElementById("search-status");
  const list = document.getElementById("search-results");
  const more = document.getElementById("search-more");
  const topicRoutes = new Map([...topic.options].filter((o) => o.value).map((o) => [o.value, o.dataset.route]));
  const indexRoot = new URL(form.dataset.index, location.href); // pagefind/, see gazette/search.py
  let pagefind = null; // the loaded API (a promise), fetched once, on first use
  let hidden = new Map(); // shard records that recent/ replaces: record id -> page URL
  let latest = 0; // numbers searches: a slow older one never overwrites a newer one's results
  let waiting = []; // results of the current search not shown yet
  let typingTimer = 0;

  // The index is in parts (shards of a year or a few months, newest first, then the pages
  // changed since): the first loads Pagefind, the others merge in.
  async function loadIndex() {
    const response = await fetch(new URL("manifest.json", indexRoot));
    if (!response.ok) throw new Error(`manifest.json: ${response.status}`);
    const manifest = await response.json();
    const [primary, ...others] = manifest.indexes.map((name) => new URL(`${name}/`, indexRoot));
    const api = await import(new URL("pagefind.js", primary).href);
    // Under a sub-path (https://user.github.io/news/) results must link below it too.
    await api.options({ basePath: primary.pathname, baseUrl: form.dataset.baseUrl });
    for (const index of others) {
      await api.mergeIndex(index.pathname, { baseUrl: form.dataset.baseUrl });
    }
    await api.init();
    hidden = new Map(Object.entries(manifest.hidden || {}));
    return api;
  }

  function loadPagefind() {
    pagefind ??= loadIndex();
    return pagefind;
  }

  function clearResults() {
    waiting = [];
    list.replaceChildren();
    list.hidden = true;
    more.hidden = true;
  }

  async function showMore(id, moveFocus) {
    const batch = waiting.splice(0, PAGE_SIZE);
    more.disabled = true; // one batch at a time keeps the results in order
    const found = await Promise.all(batch.map((result) => result.data())).finally(() => { more.disabled = false; });
    if (id !== latest) return;
    const items = found.map((data) => resultItem(data, topicRoutes));
    list.append(...items);
    list.hidden = list.children.length === 0;
    more.hidden = waiting.length === 0;
    // After "Show more", keyboard and screen reader users continue at the first new result.
    if (moveFocus && items.length) items[0].querySelector("h2 a").focus();
  }

  // Drop the year records that newer ones replace, and a page's second record: a page whose
  // text did not change has the same record id in its year's index and in recent/. An id is
  // short enough that two pages may share it, so an id counts only with its page's URL.
  async function current(results) {
    const firstWithId = new Map();
    const verdicts = results.map(async (result) => {
      const earlier = firstWithId.get(result.id);
      if (!earlier) firstWithId.set(result.id, result);
      if (!earlier && !hidden.has(result.id)) return result;
      const url = (await result.data()).raw_url;
      if (hidden.get(result.id) === url) return null;
      if (earlier && (await earlier.data()).raw_url === url) return null;
      return result;
    });
    return (await Promise.all(verdicts)).filter(Boolean);
  }

  // The matching results (best first), or null when the index cannot be loaded.
  async function find(term, chosen) {
    try {
      const api = await loadPagefind();
      const found = await api.search(term, { filters: chosen ? { topic: chosen } : {} });
      const results = await current(found.results);
      const best = results[0];
      return best && matchesQuery(await best.data(), term) ? results : [];
    } catch (error) {
      pagefind = null; // try loading it again on the next search
      return null;
    }
  }

  async function search() {
    const id = ++latest;
    const term = query.value.trim();
    const chosen = topic.value;
    rememberInAddress(term, chosen);
    if (!term) {
      clearResults();
      status.textContent = "";
      return;
    }
    const slow = setTimeout(() => { if (id === latest) status.textContent = say("searching"); }, SLOW_MS);
    const results = await find(term, chosen);
    clearTimeout(slow);
    if (id !== latest) return; // a newer search is under way
    clearResults();
    if (!results) {
      status.textContent = say("unavailable");
      return;
    }
    waiting = results.slice();
    await showMore(id, false);
    if (id === latest) status.textContent = describe(results.length, term, chosen);
  }

  function searchNow() {
    clearTimeout(typingTimer);
    search();
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault(); // the results appear on this page; no reload
    searchNow();
  });
  query.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(search, TYPING_PAUSE_MS);
  });
  topic.addEventListener("change", searchNow);
  more.addEventListener("click", () => showMore(latest, true));
  // Fetch the index code while the reader is still typing the first word.
  query.addEventListener("focus", () => loadPagefind().catch(() => {}), { once: true });

  const params = new URLSearchParams(location.search);
  query.value = params.get("q") || "";
  if ([...topic.options].some((o) => o.value === params.get("topic"))) topic.value = params.get("topic");
  form.hidden = false;
  if (query.value.trim()) searchNow();
}

const searchForm = document.querySelector("form.search-form[data-index]");
if (searchForm) setUpSearch(searchForm);
