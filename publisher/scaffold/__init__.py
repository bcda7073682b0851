"""Starting out: `publish init` (a new site, or a config for an existing blog) and
`publish new` (a new post)."""
