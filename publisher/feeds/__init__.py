"""Feeds: which feeds exist, Atom and RSS through feedgen, JSON Feed, the report of what
subscribers will see, and the pages that help people find them."""
