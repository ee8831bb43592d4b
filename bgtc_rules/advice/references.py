"""The ids an assessment's export gives its citations and caveats, and the JSON written with them.

A rule base's citations and caveats are listed once in the export (`sources`, `caveats`) and
referred to by id (`c1`, `k1`, ...). `References` holds a rule base's ids, the compact JSON of
each entry, and the parts of exports already written with these ids; `Tables` is one export's
use of them, with new ids (after the rule base's) for anything the rule base does not list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

from bgtc_rules.base.jsontext import compact
from bgtc_rules.base.memo import remember
from bgtc_rules.engine.results import citation_dict
from bgtc_rules.language.spec import Citation


class References:
    """Ids for a rule base's citations and caveats (`c1`, `k1`, ...), in the order given; the
    compact JSON of each entry, and of program assessments already written with these ids."""

    LIMIT = 4096  # program parts written
    RULE_LIMIT = 8192  # rule parts written

    def __init__(self, citations: Iterable[Citation], caveats: Iterable[str]) -> None:
        self.citations: dict[Citation, str] = {}
        self.caveats: dict[str, str] = {}
        # Rules hand over the same citation objects every time: find them by identity first
        # (hashing a citation is slow). The objects are kept, so that their ids stay theirs.
        self._objects = list(citations)
        for citation in self._objects:
            self.citations.setdefault(citation, f"c{len(self.citations) + 1}")
        for caveat in caveats:
            self.caveats.setdefault(caveat, f"k{len(self.caveats) + 1}")
        self.by_object = {id(c): self.citations[c] for c in self._objects}
        self.written: Written = {}  # id(program assessment) -> (it, JSON, citation ids, caveat ids)
        self.rules_written: Written = {}  # the same per rule result
        # The compact parts of program assessments (`advice.compact`), per program assessment.
        self.compact_written: dict[int, tuple[Any, dict[str, Any]]] = {}
        # The opening of each rule's part, `{"id":...,"title":...,"concludes":...`: the same for
        # every result of the rule, so written once (bounded by the rule base's size).
        self.rule_heads: dict[tuple[str, str, str], str] = {}
        # The whole part of a rule result that holds nothing of the dossier (no failed conditions,
        # no missing facts), with its caveat ids: the same for every such result of the rule with
        # that value, so written once too (at most three per rule).
        self.plain_rules: dict[tuple[Any, ...], tuple[str, tuple[str, ...]]] = {}
        # Each program's opening and each rule's explanation, as JSON (see `_program_text`).
        self.texts: dict[Any, str] = {}

    @cached_property
    def entries(self) -> dict[str, str]:
        """The compact JSON of each citation and caveat, by id: made when an export is first written
        (a text report needs none of it, and a cold `bgtc evaluate` would spend ~5 ms on it)."""
        entries = {key: compact({key: citation_dict(c)})[1:-1] for c, key in self.citations.items()}
        entries.update((key, compact({key: text})[1:-1]) for text, key in self.caveats.items())
        return entries

    def forget_written(self) -> None:
        """Drop the parts written for assessments (learnt from dossiers); keep those of the rules."""
        self.written.clear()
        self.rules_written.clear()
        self.compact_written.clear()


class Tables:
    """The ids used by one export: the rule base's, and new ones (after those) for anything else."""

    def __init__(self, references: References | None) -> None:
        self.references = references
        self._citations: dict[Citation, str] = references.citations if references else {}
        self._caveats: dict[str, str] = references.caveats if references else {}
        self._by_object: dict[int, str] = references.by_object if references else {}
        self.new_citations: dict[Citation, str] = {}
        self.new_caveats: dict[str, str] = {}
        self.cited: set[str] = set()
        self.noted: set[str] = set()

    def _citation_id(self, citation: Citation) -> str:
        key = self._by_object.get(id(citation)) or self._citations.get(citation)
        if key is None:
            key = self.new_citations.setdefault(citation, f"c{len(self._citations) + len(self.new_citations) + 1}")
        return key

    def _caveat_id(self, text: str) -> str:
        key = self._caveats.get(text)
        if key is None:
            key = self.new_caveats.setdefault(text, f"k{len(self._caveats) + len(self.new_caveats) + 1}")
        return key

    def cite(self, citations: Iterable[Citation]) -> list[str]:
        ids: list[str] = []
        by_object = self._by_object
        for citation in citations:  # a few each: a list finds the repeats faster than a dict
            key = by_object.get(id(citation)) or self._citation_id(citation)
            if key not in ids:
                ids.append(key)
        self.cited.update(ids)
        return ids

    def caveat(self, texts: Iterable[str]) -> list[str]:
        ids = list(dict.fromkeys(self._caveat_id(t) for t in texts))
        self.noted.update(ids)
        return ids

    def used_citations(self) -> list[tuple[str, Citation]]:
        found = {k: c for table in (self._citations, self.new_citations) for c, k in table.items() if k in self.cited}
        return [(key, found[key]) for key in in_id_order(found)]

    def used_caveats(self) -> list[tuple[str, str]]:
        found = {k: t for table in (self._caveats, self.new_caveats) for t, k in table.items() if k in self.noted}
        return [(key, found[key]) for key in in_id_order(found)]

    def sources_json(self) -> str:
        """The `sources` table as compact JSON (what `used_citations` lists)."""
        return self._entries_json(self.cited, self.used_citations, citation_dict)

    def caveats_json(self) -> str:
        return self._entries_json(self.noted, self.used_caveats, lambda text: text)

    def _entries_json(self, used: set[str], listed: Any, plain: Any) -> str:
        if self.references is None or self.new_citations or self.new_caveats:
            return compact({key: plain(value) for key, value in listed()})
        entries = self.references.entries
        return "{" + ",".join(entries[key] for key in in_id_order(used)) + "}"


def in_id_order(keys: Iterable[str]) -> list[str]:
    return sorted(keys, key=lambda key: int(key[1:]))


Written = dict[int, tuple[Any, str, tuple[str, ...], tuple[str, ...]]]


def written_once(item: Any, tables: Tables, written: Written, limit: int, write: Callable[[Tables], str]) -> str:
    """`write(tables)`, the item's compact JSON, remembered per item (by identity, the item kept
    alive with it) together with the ids it uses, when those are all the rule base's own."""
    known = written.get(id(item))
    if known is None or known[0] is not item:
        own = Tables(tables.references)
        text = write(own)
        if own.new_citations or own.new_caveats:  # a source the rule base does not list: no own id
            return write(tables)
        known = remember(written, id(item), (item, text, tuple(own.cited), tuple(own.noted)), limit)
    tables.cited.update(known[2])
    tables.noted.update(known[3])
    return known[1]
