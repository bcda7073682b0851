"""Reading the site: which files are posts, their front matter, the Post model, the Site,
and the parse-once cache."""
