// Click-to-load embeds: a card (made by the build from a link to a video or a post) shows its
// button and a note only when this script runs; nothing from the provider loads until the
// reader presses the button, which puts the provider's player in a frame in the card's place.
// Without JavaScript the card stays a plain link.
for (const card of document.querySelectorAll("figure.embed[data-embed-src]")) {
  const button = card.querySelector(".embed-load");
  const note = card.querySelector(".embed-note");
  if (!button) continue;
  button.hidden = false;
  if (note) note.hidden = false;
  button.addEventListener("click", () => {
    const frame = document.createElement("iframe");
    frame.src = card.dataset.embedSrc;
    frame.title = card.querySelector("figcaption a")?.textContent ?? "";
    frame.className = "embed-frame";
    frame.allow = "autoplay; encrypted-media; fullscreen; picture-in-picture";
    frame.allowFullscreen = true;
    frame.referrerPolicy = "strict-origin-when-cross-origin";
    // The provider's page may run its own scripts, in its own origin, and nothing more.
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation");
    button.replaceWith(frame);
    if (note) note.remove();
    frame.focus();
  }, { once: true });
}
