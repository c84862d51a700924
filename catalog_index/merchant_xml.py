"""Google Merchant Center XML feeds (RSS 2.0 `<item>` or Atom `<entry>`, `g:` namespace),
streamed with expat so a large feed is never held in memory and every item keeps the line
it starts on for error reports."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator
from xml.parsers import expat

G_NAMESPACE = "http://base.google.com/ns/1.0"
ATOM_NAMESPACE = "http://www.w3.org/2005/Atom"
ITEM_TAGS = {"item", f"{ATOM_NAMESPACE} entry"}
PLAIN_FIELDS = {"title": "title", "link": "link", "description": "description", "summary": "description",
                "content": "description"}


def _local(tag: str) -> tuple[str, str]:
    namespace, _, name = tag.rpartition(" ")
    return namespace, name


class _ItemCollector:
    def __init__(self):
        self.items: list[tuple[int, dict[str, str]]] = []
        self.current: dict[str, str] | None = None
        self.start_line = 0
        self.depth = 0
        self.field: str | None = None
        self.text: list[str] = []

    def start(self, parser, tag: str, attributes: dict) -> None:
        if self.current is None:
            if tag in ITEM_TAGS:
                self.current, self.start_line, self.depth = {}, parser.CurrentLineNumber, 0
            return
        self.depth += 1
        namespace, name = _local(tag)
        if self.depth != 1:  # nested structures (shipping, tax, ...) are not used
            self.field = None
            return
        if namespace == G_NAMESPACE:
            self.field = name
        elif name in PLAIN_FIELDS and namespace in ("", ATOM_NAMESPACE):
            self.field = PLAIN_FIELDS[name]
            if name == "link" and attributes.get("href"):
                self.current.setdefault("link", attributes["href"])
                self.field = None
        else:
            self.field = None
        self.text = []

    def end(self, tag: str) -> None:
        if self.current is None:
            return
        if self.depth == 0:
            self.items.append((self.start_line, self.current))
            self.current = None
            return
        if self.depth == 1 and self.field:
            self.current.setdefault(self.field, "".join(self.text).strip())
        self.field = None
        self.depth -= 1

    def chars(self, data: str) -> None:
        if self.field:
            self.text.append(data)


def read_merchant_xml(path: Path, chunk_bytes: int = 1 << 16) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield `(line, record)` per item; raises ValueError with the line on malformed XML."""
    parser = expat.ParserCreate(namespace_separator=" ")
    collector = _ItemCollector()
    parser.StartElementHandler = lambda tag, attrs: collector.start(parser, tag, attrs)
    parser.EndElementHandler = collector.end
    parser.CharacterDataHandler = collector.chars
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(chunk_bytes)
            try:
                parser.Parse(chunk, not chunk)
            except expat.ExpatError as exc:
                yield from collector.items
                raise ValueError(f"line {exc.lineno}: malformed XML ({expat.errors.messages[exc.code]}); "
                                 "items after it were not read") from None
            yield from collector.items
            collector.items.clear()
            if not chunk:
                return
