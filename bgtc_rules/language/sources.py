"""The sources the rules cite, each once (`sources.yaml`), and their citations resolved against them.

A rule file cites `{source: id, section: ...}`; before the file is validated, each such citation
is filled in from its source (title, URL, and for a secondary source the reason it is cited), so
every later stage reads a whole `Citation`. An unknown id is refused with the closest known ids.
The bundled rules cite only by id; a rules directory of one's own may also write a source out in
full (or bring its own `sources.yaml`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from bgtc_rules.base.documents import Document, PathKey
from bgtc_rules.base.errors import Problem
from bgtc_rules.language.spec import Citation, Source

SOURCES_FILE = "sources.yaml"
OUT_OF_LINE = ("document", "url", "secondary", "reason")  # what a citation by id leaves to its source


def _where(path: PathKey) -> str:
    return ".".join(str(p) for p in path)


def _citations(data: Any, path: PathKey = ()) -> Iterator[tuple[PathKey, dict[str, Any]]]:
    """Every mapping in a `citations` list of a rule file's data, with its path."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "citations" and isinstance(value, list):
                yield from (((*path, key, i), c) for i, c in enumerate(value) if isinstance(c, dict))
            else:
                yield from _citations(value, (*path, key))
    elif isinstance(data, list):
        for index, item in enumerate(data):
            yield from _citations(item, (*path, index))


def closest(given: str, known: Iterable[str]) -> str:
    """The known ids closest to `given`, for a refusal message."""
    import difflib  # only for a mistake: not on the path of valid rules

    close = difflib.get_close_matches(given, list(known), n=3, cutoff=0.5)
    return f"; closest known: {', '.join(close)}" if close else ""


def resolve(doc: Document, sources: dict[str, Source], context: Any, bundled: Path) -> list[Problem]:
    """Fill in, in `doc.data`, every citation that names a source by id; the problems found.

    `context` words where in the file a path is (`rule fast_track.eligible: `); a file under `bundled`
    (the bundled rules, which list every source in sources.yaml) may not write a source out in full."""
    by_id_only = Path(doc.source).resolve().is_relative_to(bundled)
    problems = []
    for path, citation in _citations(doc.data):
        where, line, prefix = _where(path), doc.line_of(path), context(path)
        given = citation.get("source")
        if given is None:
            if by_id_only and "document" in citation:
                problems.append(Problem(doc.source, where, prefix + "cite the source by its id in sources.yaml, "
                                        "as {source: id, section: ...} (scripts/convert_sources.py moves it there)",
                                        line))
            continue
        if not isinstance(given, str):
            continue  # the model refuses it, with its own message
        written = [k for k in OUT_OF_LINE if k in citation]
        if written:
            problems.append(Problem(doc.source, where, prefix + f"a citation of source {given!r} gives only its "
                                    f"section; {', '.join(written)} belong(s) to the source in sources.yaml", line))
            continue
        source = sources.get(given)
        if source is None:
            problems.append(Problem(doc.source, f"{where}.source", prefix + f"unknown source {given!r}"
                                    + closest(given, sources), doc.line_of((*path, "source"))))
            continue
        citation.update(source_fields(source))
    return problems


def source_fields(source: Source) -> dict[str, Any]:
    """What a citation by id takes from its source."""
    fields: dict[str, Any] = {"document": source.title}
    if source.url is not None:
        fields["url"] = source.url
    if source.kind == "secondary":
        fields.update(secondary=True, reason=source.reason)
    return fields


def cite(sources: dict[str, Source], source_id: str, section: str) -> Citation:
    """A citation of a known source (for text the code writes, such as a draft's elements)."""
    return Citation(section=section, source=source_id, **source_fields(sources[source_id]))


def unused(sources: dict[str, Source], citations: Iterable[Citation]) -> list[str]:
    """The ids of sources.yaml that nothing cites, in the order listed."""
    cited = {c.source for c in citations}
    return [key for key in sources if key not in cited]
