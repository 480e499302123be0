/* Gazette's live reload, added to every page `gazette serve` sends (never written to the
   output folder). A function expression: the server appends the call with this page's state,
   `(...)({"state": ..., "events_path": ..., ...});`. Plain ES5 on purpose: it runs in any
   browser an editor may use, with no build step. */
(function (config) {
  var state = config.state;
  var OVERLAY_ID = "gazette-overlay";
  function showProblems(problems) {
    var old = document.getElementById(OVERLAY_ID);
    if (old) { old.parentNode.removeChild(old); }
    if (!problems.length) { return; }
    var box = document.createElement("div");
    box.id = OVERLAY_ID;
    box.setAttribute("role", "alert");
    box.setAttribute("style", config.overlay_style);
    var heading = document.createElement("div");
    heading.setAttribute("style", config.heading_style);
    heading.textContent = config.heading;
    box.appendChild(heading);
    problems.forEach(function (problem) {
      var item = document.createElement("pre");
      item.className = "gazette-problem";
      item.setAttribute("style", config.problem_style);
      item.textContent = problem.text;  /* text, never markup: messages quote user input */
      box.appendChild(item);
    });
    document.body.appendChild(box);
  }
  function here() {
    var path = window.location.pathname;
    try { path = decodeURIComponent(path); } catch (e) { /* left as it is */ }
    return path.replace(/\/index\.html$/, "/");
  }
  /* A build lists the pages it changed; a page it did not change stays, unless events were
     missed in between (a generation skipped), when it cannot know. */
  function mustReload(next) {
    if (next.server !== state.server || next.generation > state.generation + 1) { return true; }
    if (next.generation === state.generation) { return false; }
    return config.missing || next.changed === null || next.changed.indexOf(here()) >= 0;
  }
  /* A style sheet changed: each link to it loads it again, the page staying as it is (a
     browser without URL reloads the page instead). */
  function restyle(styles) {
    if (!window.URL) { window.location.reload(); return; }
    var links = document.querySelectorAll("link[rel=stylesheet]");
    Array.prototype.forEach.call(links, function (link) {
      var url = new URL(link.href, window.location.href);
      if (url.origin === window.location.origin && styles.indexOf(url.pathname) >= 0) {
        url.searchParams.set("gazette-reload", String(Date.now()));
        link.href = url.href;
      }
    });
  }
  function follow(next) {
    if (mustReload(next)) {
      var path = window.location.pathname;
      if (path.slice(0, next.base_path.length) !== next.base_path) {
        window.location.href = next.base_path;  /* site.toml moved the site */
      } else {
        window.location.reload();
      }
      return;
    }
    if (next.generation === state.generation + 1 && next.styles && next.styles.length) { restyle(next.styles); }
    state.generation = next.generation;
    showProblems(next.problems);
  }
  if (!window.EventSource) { return; }
  var source = new EventSource(config.events_path);
  ["hello", "reload", "error"].forEach(function (name) {
    source.addEventListener(name, function (event) { follow(JSON.parse(event.data)); });
  });
  window.addEventListener("pagehide", function () { source.close(); });
})
