"""A post's body -> HTML: templates in bodies (Liquid, shortcodes), Markdown, absolute URLs,
excerpts, and rendering each post once (cached, in parallel)."""
