"""`publish preview`: the feeds and email drafts on a local web server, rebuilt live.

Everything is built in memory, as `publish feed` and `publish email` would build it: the
output folder is never written and the ledger is only read (or, when there is none yet,
taken as empty). A watcher thread looks at the posts, the templates, the config and the
ledger every half second and rebuilds when any of them changed; the pages poll
`/version` and reload themselves. Problems found while building are listed on the index
page; they never stop the server.

Pages: `/` lists the feeds and drafts; `/read/<feed>.xml` is the feed's web page (the
`feed.html` publish feed writes beside it); `/feed/<file>` is a file as `publish feed`
writes it (the XML linking `feed.css` beside it); `/draft/<series>/<number>/` shows an
issue at 600 and 375 px beside its text part, and `/draft/<series>/<number>/issue.html`
(`.txt`, `.eml`, `.json`) its files.
"""

DEFAULT_PORT = 8765  # on 127.0.0.1, when --port is not given
