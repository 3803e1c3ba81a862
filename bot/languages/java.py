"""Java behind the language protocol: checkstyle's targets, Javadoc comments, the tree proof.

Targets are what checkstyle's ``MissingJavadocType`` and ``MissingJavadocMethod`` report
with ``scope=public`` and ``minLineCount=-2`` (``java_targets``); ``src/test/`` and
``module-info.java`` are left out.  Comments are Javadoc (``javadoc``), placed above the
declaration's annotations, at its indentation.
"""

from __future__ import annotations

import re
from collections import Counter

import tree_sitter_java

from bot.docmodel import DocstringDraft
from bot.errors import UnparsableFile
from bot.languages import javadoc
from bot.languages.base import CommentStyle, FileScan, Language, Project
from bot.languages.declared import insert_above, to_targets
from bot.languages.java_targets import findings, name_of
from bot.languages.treeproof import (
    Grammar,
    check_same_but_comments,
    first_error_line,
    parse_or_skip,
)
from bot.model import Suggestion, Target
from bot.paths import TEST_FILE
from bot.targets import TargetOptions

GRAMMAR = Grammar("java", tree_sitter_java.language, frozenset({"line_comment", "block_comment"}))
_TAGS = re.compile(rb"^[ \t]*\*?[ \t]*@(throws|exception|return|param)\b", re.MULTILINE)


class Java:
    """The Java adapter: checkstyle's missing-Javadoc targets, Javadoc, the tree proof."""

    name = "java"
    extensions: tuple[str, ...] = (".java",)
    convention = (
        "Java; a Javadoc block comment /** ... */ above the declaration and its annotations:"
        " a summary sentence, then @param <T> for type parameters, @param, @return and"
        " @throws tags; HTML, not Markdown"
    )

    def skip_reason(self, path: str, text: str, *, included: bool) -> str | None:
        """``module-info.java`` always (no type to document); ``src/test/`` unless included."""
        if path.rpartition("/")[2] == "module-info.java":
            return "module declaration: checkstyle's Javadoc checks ask nothing of it"
        if not included and "/src/test/" in "/" + path:
            return TEST_FILE
        return None

    def scan(
        self,
        path: str,
        text: str,
        added: frozenset[int],
        options: TargetOptions,
        *,
        project: Project,
    ) -> FileScan:
        """checkstyle's missing-Javadoc declarations that the change touched."""
        src = text.encode("utf-8", "surrogatepass")
        tree = parse_or_skip(GRAMMAR, path, text)
        if tree.root_node.has_error:
            # checkstyle stops on a file it cannot parse and javac reports no doclint
            # warning past a syntax error: the linters say nothing about such a file.
            line = first_error_line(tree.root_node)
            raise UnparsableFile(f"{path}:{line}: not valid Java, so no linter reports on it")
        found = findings(tree, src)
        targets = to_targets(path, self.name, found, added, options.scope)
        votes = Counter(f"tag:{m.decode()}" for m in _TAGS.findall(src))
        return FileScan(targets, votes)

    def style(
        self, file_votes: Counter[str], run_votes: Counter[str], configured: str
    ) -> CommentStyle:
        """Javadoc; ``@exception`` instead of ``@throws`` where the file, else the run,
        writes it more often."""
        for votes in (file_votes, run_votes):
            throws, exception = votes["tag:throws"], votes["tag:exception"]
            if throws or exception:
                return CommentStyle("javadoc", types=False, tags=_tags(exception > throws))
        return CommentStyle("javadoc", types=False, tags=_tags(False))

    def render(
        self, draft: DocstringDraft, target: Target, style: CommentStyle, *, line_length: int
    ) -> str:
        """The Javadoc comment, fitting ``line_length`` after the target's indentation."""
        throws = "exception" if "exception" in style.tags else "throws"
        width = line_length - len(target.body_indent.expandtabs(4))
        return javadoc.render(draft, width=width, throws_tag=throws)

    def suggest(self, target: Target, source: str, rendered: str) -> Suggestion:
        """The comment inserted above the declaration's first line, proven."""
        return insert_above(GRAMMAR, source, target, rendered, name_of)

    def check_safe(self, original: str, modified: str) -> None:
        """The two files differ only in comments."""
        check_same_but_comments(GRAMMAR, original, modified)


def _tags(exception: bool) -> frozenset[str]:
    return frozenset({"param", "return", "exception" if exception else "throws"})


LANGUAGE: Language = Java()
