"""An XML feed in pieces, byte for byte what serializing its whole tree writes.

lxml's pretty printer indents an element by its depth alone, so an entry serialized in
an empty copy of its feed comes out as the same bytes it has in the full tree. The feed
is then its head (everything before the first entry), each entry, and its tail, and a
full archive is written without ever holding all its entries at once.
"""

from __future__ import annotations

from lxml import etree

_MARK = b"<!--publisher:entry-->"


class EntryPieces:
    """Splits the serialization of `empty`, a feed without entries, around the place its
    entries go: the last child of the element at `path` ("feed", "rss/channel")."""

    def __init__(self, empty: bytes, path: str) -> None:
        root = etree.fromstring(empty)
        container = root if "/" not in path else root.find(path.split("/", 1)[1])
        assert container is not None, path
        for child in list(container):
            container.remove(child)
        for element in root.iter():  # the parsed indentation would turn pretty printing off
            element.text = element.tail = None
        self._root, self._container = root, container
        container.append(etree.Comment(_MARK[4:-3].decode()))
        marked = self._serialize()
        container.remove(container[0])
        start = marked.index(_MARK)
        # The lines of the skeleton around the entry, and the feed's own around its entries.
        self._before = marked[:marked.rindex(b"\n", 0, start) + 1]
        self._after = marked[marked.index(b"\n", start) + 1:]
        if not empty.endswith(self._after):
            raise ValueError("feed: its entries have no place at the end of the feed")
        self.head = empty[:len(empty) - len(self._after)]
        self.tail = self._after

    def _serialize(self) -> bytes:
        return etree.tostring(self._root, pretty_print=True, encoding="UTF-8")

    def entry(self, element: etree._Element) -> bytes:
        """The bytes of `element` (an `<entry>` or `<item>`) inside the feed: its
        indentation and its line end included."""
        self._container.append(element)
        try:
            whole = self._serialize()
        finally:
            self._container.remove(element)
        if not (whole.startswith(self._before) and whole.endswith(self._after)):
            raise ValueError("feed: an entry changed the feed around it")
        return whole[len(self._before):len(whole) - len(self._after)]
