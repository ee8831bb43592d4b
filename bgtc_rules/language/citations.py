"""Where the rule base's citations point, and what a reviewer would object to.

Primary sources are the statute (congress.gov, govinfo.gov), the regulations (ecfr.gov), the
Federal Register (federalregister.gov, govinfo.gov), FDA's own pages and guidances (fda.gov) and the
federal dockets that hold them (regulations.gov: a draft guidance's docket, where FDA posts it).
Anything else is secondary: allowed only when marked `secondary: true` with a reason. Two kinds
of link are never allowed: tracking or redirect links (an e-mail click counter, a URL shortener,
a link with campaign parameters), which hide where they lead and can change it; and copies of
primary text on aggregator sites, which are neither the original nor an author's reading of it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from bgtc_rules.language.rulebase import RuleBase
from bgtc_rules.language.spec import Citation, Program

PRIMARY_HOSTS = ("fda.gov", "ecfr.gov", "govinfo.gov", "federalregister.gov", "congress.gov", "regulations.gov")

# Click counters, shorteners and link wrappers: the address is not the document.
TRACKING_HOSTS = (
    "e2ma.net", "bit.ly", "t.co", "lnkd.in", "tinyurl.com", "ow.ly", "buff.ly", "hubspotlinks.com",
    "mailchi.mp", "list-manage.com", "sendgrid.net", "safelinks.protection.outlook.com", "urldefense.com",
)
TRACKING_PARAMETERS = ("utm_", "mc_cid", "mc_eid", "fbclid", "gclid", "_hsenc", "_hsmi", "mkt_tok")
REDIRECT_PATHS = (("google.com", "/url"), ("facebook.com", "/l.php"))

# Sites that republish statutes, regulations, Federal Register notices or FDA pages.
AGGREGATOR_HOSTS = (
    "docslib.org", "instalawyer.io", "wikisource.org", "erudee.org", "vlex.com", "justia.com",
    "legalfix.com", "thefederalregister.org", "policyrisk.com", "woaifanyi.com", "pagefreezer.com",
    "webarchive.library.unt.edu", "omb.report", "crweworld.com", "einpresswire.com",
)


class SourceKind(StrEnum):
    PRIMARY = "primary"
    SECONDARY = "secondary"
    TRACKING = "tracking"
    AGGREGATOR = "aggregator"


def _on(host: str, domains: tuple[str, ...]) -> bool:
    return any(host == d or host.endswith("." + d) for d in domains)


def source_kind(url: str) -> SourceKind:
    """What kind of source a cited URL is, by its host (and, for tracking, its path and query)."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    query = [name.lower() for name, _ in parse_qsl(parts.query, keep_blank_values=True)]
    if (_on(host, TRACKING_HOSTS) or "/click/" in parts.path
            or any(name.startswith(TRACKING_PARAMETERS) for name in query)
            or any(_on(host, (h,)) and parts.path.startswith(p) for h, p in REDIRECT_PATHS)):
        return SourceKind.TRACKING
    if _on(host, AGGREGATOR_HOSTS):
        return SourceKind.AGGREGATOR
    if _on(host, PRIMARY_HOSTS):
        return SourceKind.PRIMARY
    return SourceKind.SECONDARY


@dataclass(frozen=True)
class CitedSource:
    """One citation and what cites it: a rule, or a part of a program (its response timing, a benefit)."""

    subject: str
    file: str
    citation: Citation


@dataclass(frozen=True)
class CitationGroup:
    """The citations given together for one claim, which need at least one primary source between them."""

    subject: str
    file: str
    citations: tuple[Citation, ...]


def _program_groups(program: Program, file: str) -> Iterator[CitationGroup]:
    yield CitationGroup(program.id, file, tuple(program.citations))
    if program.response is not None:
        yield CitationGroup(f"{program.id} (response)", file, tuple(program.response.citations))
    for benefit in program.benefits:
        yield CitationGroup(f"{program.id} (benefit {benefit.id})", file, tuple(benefit.citations))
    if program.timeline is not None:
        for step, timing in program.timeline:
            if timing is not None:
                yield CitationGroup(f"{program.id} (timeline {step})", file, tuple(timing.citations))


def citation_groups(rulebase: RuleBase) -> Iterator[CitationGroup]:
    """Every claim's citations: each program's own, its timings and benefits, then each rule's."""
    for program in sorted(rulebase.programs.values(), key=lambda p: p.id):
        rules = rulebase.program_rules(program.id)
        yield from _program_groups(program, Path(rules[0].file).name if rules else "")
    for rule in rulebase.rules:
        yield CitationGroup(rule.id, Path(rule.file).name, tuple(rule.spec.citations))


def cited_sources(rulebase: RuleBase) -> Iterator[CitedSource]:
    for group in citation_groups(rulebase):
        for citation in group.citations:
            yield CitedSource(group.subject, group.file, citation)


@dataclass(frozen=True)
class Census:
    """How many cited URLs there are and of which kind (each citation counted, not each distinct URL)."""

    kinds: Counter[SourceKind]
    without_url: int
    marked_secondary: int

    @property
    def urls(self) -> int:
        return sum(self.kinds.values())

    @property
    def primary_share(self) -> float:
        return self.kinds[SourceKind.PRIMARY] / self.urls if self.urls else 1.0

    def __str__(self) -> str:
        return (f"citations: {self.urls} URLs, {self.kinds[SourceKind.PRIMARY]} primary "
                f"({self.primary_share:.1%}), {self.kinds[SourceKind.SECONDARY]} secondary "
                f"({self.marked_secondary} marked), {self.kinds[SourceKind.AGGREGATOR]} aggregator, "
                f"{self.kinds[SourceKind.TRACKING]} tracking; {self.without_url} without a URL")


def census(sources: list[CitedSource]) -> Census:
    kinds = Counter(source_kind(s.citation.url) for s in sources if s.citation.url)
    marked = sum(s.citation.secondary for s in sources if s.citation.url)
    return Census(kinds, sum(s.citation.url is None for s in sources), marked)


@dataclass(frozen=True)
class CitationIssue:
    level: str  # "error" or "warning"
    subject: str
    message: str


_NEVER = {
    SourceKind.TRACKING: "tracking or redirect link (the address is not the document); cite the document itself",
    SourceKind.AGGREGATOR: "aggregator copy of a primary text; cite the original at "
                           + ", ".join(PRIMARY_HOSTS),
}


def citation_issues(rulebase: RuleBase) -> list[CitationIssue]:
    """Tracking and aggregator links (errors), unmarked secondary links (warnings), and each claim
    whose citations include no primary source (warnings: the list a reviewer works through)."""
    issues = []
    for group in citation_groups(rulebase):
        kinds = [source_kind(c.url) if c.url else None for c in group.citations]
        for citation, kind in zip(group.citations, kinds, strict=True):
            if kind in _NEVER:
                issues.append(CitationIssue("error", group.subject, f"{citation.url}: {_NEVER[kind]}"))
            elif kind is SourceKind.SECONDARY and not citation.secondary:
                host = urlsplit(citation.url or "").hostname
                issues.append(CitationIssue("warning", group.subject, f"{citation.url}: {host} is not a primary "
                                            "source; cite the primary text or mark it secondary: true with a reason"))
        if SourceKind.PRIMARY not in kinds:
            issues.append(CitationIssue("warning", group.subject, f"no primary citation ({group.file})"))
    return issues
