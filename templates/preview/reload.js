// Reloads the page when the preview's build changes (the server bumps /version), and
// sizes each email iframe to its content so the whole issue shows without a scrollbar.
(() => {
  const seen = document.documentElement.dataset.version;
  setInterval(async () => {
    try {
      const reply = await fetch("/version", {cache: "no-store"});
      if (reply.ok && (await reply.text()) !== seen) location.reload();
    } catch (e) {
      // The server is restarting or gone: try again on the next tick.
    }
  }, 1000);
  const fit = (frame) => {
    const doc = frame.contentDocument;
    if (doc && doc.documentElement) {
      frame.style.height = doc.documentElement.scrollHeight + "px";
    }
  };
  for (const frame of document.querySelectorAll("iframe.fit")) {
    frame.addEventListener("load", () => fit(frame));
    if (frame.contentDocument && frame.contentDocument.readyState === "complete") fit(frame);
  }
})();
