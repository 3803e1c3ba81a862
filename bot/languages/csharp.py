"""C# behind the language protocol: CS1591's targets, XML doc comments, the tree proof.

Targets are what the compiler's CS1591 reports (``csharp_targets``); test projects
(a folder named ``*.Tests`` or ``*.Test``, files ``*Tests.cs``) are left out.  Comments
are ``///`` XML documentation (``xmldoc``), placed above the declaration's attributes.
"""

from __future__ import annotations

import re
from collections import Counter

import tree_sitter_c_sharp

from bot.docmodel import DocstringDraft
from bot.languages import xmldoc
from bot.languages.base import CommentStyle, FileScan, Language, Project
from bot.languages.csharp_targets import findings, name_of
from bot.languages.declared import insert_above, to_targets
from bot.languages.treeproof import Grammar, check_same_but_comments, parse_or_skip
from bot.model import Suggestion, Target
from bot.paths import TEST_FILE
from bot.targets import TargetOptions

GRAMMAR = Grammar("csharp", tree_sitter_c_sharp.language)
_TEST_FOLDER = re.compile(r"^[Tt]ests?$|\.(?:Unit|Integration|Functional)?Tests?(?:\.|$)")
_TEST_FILE = re.compile(r"Tests?\.cs$")


class CSharp:
    """The C# adapter: CS1591's targets, ``///`` XML documentation, the tree proof."""

    name = "csharp"
    extensions: tuple[str, ...] = (".cs",)
    convention = (
        "C#; XML documentation comments (/// lines) above the declaration and its attributes:"
        " <summary>, <typeparam>, <param>, <returns>, <exception cref>; XML, so text is escaped"
    )

    def skip_reason(self, path: str, text: str, *, included: bool) -> str | None:
        """Test projects and test files, unless an include glob brings them back: a folder
        ``test``/``tests`` or named like a test project (``Foo.Tests``, ``Foo.Tests.Unit``,
        ``Foo.UnitTests``), a file ``*Tests.cs`` or ``*Test.cs``."""
        if included:
            return None
        *folders, name = path.split("/")
        if _TEST_FILE.search(name) or any(_TEST_FOLDER.search(f) for f in folders):
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
        """CS1591's declarations that the change touched."""
        src = text.encode("utf-8", "surrogatepass")
        tree = parse_or_skip(GRAMMAR, path, text)
        targets = to_targets(path, self.name, findings(tree, src), added, options.scope)
        return FileScan(targets, Counter())

    def style(
        self, file_votes: Counter[str], run_votes: Counter[str], configured: str
    ) -> CommentStyle:
        """XML documentation: C# has one convention."""
        return CommentStyle("xmldoc", types=False)

    def render(
        self, draft: DocstringDraft, target: Target, style: CommentStyle, *, line_length: int
    ) -> str:
        """The ``///`` lines, fitting ``line_length`` after the target's indentation."""
        width = line_length - len(target.body_indent.expandtabs(4))
        return xmldoc.render(draft, width=width)

    def suggest(self, target: Target, source: str, rendered: str) -> Suggestion:
        """The comment inserted above the declaration's first line (its attributes), proven."""
        return insert_above(GRAMMAR, source, target, rendered, name_of)

    def check_safe(self, original: str, modified: str) -> None:
        """The two files differ only in comments."""
        check_same_but_comments(GRAMMAR, original, modified)


LANGUAGE: Language = CSharp()
