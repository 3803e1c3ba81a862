"""Which modules and items of a library crate are its public API, read from its sources.

rustc's ``missing_docs`` asks documentation of what the crate exports: items nameable
from outside through ``pub`` modules, or re-exported by ``pub use`` (by name, by glob, a
whole module).  docbot sees files, not a built crate: starting at the library root
(``src/lib.rs``, or ``[lib] path`` in ``Cargo.toml``) it follows ``mod`` items (inline,
``name.rs``, ``name/mod.rs``, ``#[path]``) through what ``Project.read`` can read, and
resolves ``pub use`` paths within the crate (``crate::``, ``self::``, ``super::``, a
child module's name).  What it cannot read it says, and the file's own ``pub`` decides.
"""

from __future__ import annotations

import posixpath
import tomllib
from dataclasses import dataclass, field

from tree_sitter import Node, Tree

from bot.languages.base import Project
from bot.languages.rust.cfg import default_features
from bot.languages.rust.syntax import (
    GRAMMAR,
    body,
    children,
    compiled,
    head,
    name_of,
    text,
    visibility,
)

ModPath = tuple[str, ...]


@dataclass
class Module:
    """One module of the crate: where it is written, and what it declares ``pub``."""

    file: str
    container: Node
    declared_pub: bool
    inline: tuple[str, ...] = ()
    """Names of the inline ``mod x { }`` blocks from the file's top module down to it."""
    pub_items: set[str] = field(default_factory=set)
    uses: list[Node] = field(default_factory=list)


@dataclass
class Crate:
    """The crate's module tree and what it exports."""

    root: str
    features: frozenset[str]
    modules: dict[ModPath, Module] = field(default_factory=dict)
    forced: set[ModPath] = field(default_factory=set)
    reexported: set[tuple[ModPath, str]] = field(default_factory=set)
    unreadable: list[str] = field(default_factory=list)
    trees: list[Tree] = field(default_factory=list)
    sources: dict[str, bytes] = field(default_factory=dict)

    def module_of(self, path: str) -> ModPath | None:
        """The module whose file is ``path`` (its top module), if the crate reaches it."""
        found = [m for m, mod in self.modules.items() if mod.file == path and not mod.inline]
        return found[0] if found else None

    def public(self, module: ModPath) -> bool:
        """Whether ``module`` is nameable from outside the crate."""
        if not module or module in self.forced:
            return True
        mod = self.modules.get(module)
        return mod is not None and mod.declared_pub and self.public(module[:-1])

    def exported(self, module: ModPath, name: str) -> bool:
        """Whether the item ``name`` of ``module`` is public API."""
        if (module, name) in self.reexported:
            return True
        mod = self.modules.get(module)
        return mod is not None and name in mod.pub_items and self.public(module)

    def type_exported(self, module: ModPath, name: str) -> bool:
        """Whether the type an ``impl`` in ``module`` names is public API (defined there,
        or, imported, anywhere in the crate)."""
        here = self.modules.get(module)
        if here is not None and name in here.pub_items:
            return self.exported(module, name)
        return any(self.exported(path, name) for path in self.modules)


def library_root(project: Project, path: str) -> str | None:
    """The library root file of the package holding ``path``: ``[lib] path`` of the
    nearest ``Cargo.toml`` up, else the nearest ``src/lib.rs`` up that can be read (a
    pull request's files hold the changed ``.rs`` files, not always the manifest)."""
    folder = posixpath.dirname(path)
    while True:
        manifest = project.read(posixpath.join(folder, "Cargo.toml") if folder else "Cargo.toml")
        if manifest is not None:
            try:
                lib = tomllib.loads(manifest).get("lib", {}).get("path", "src/lib.rs")
            except tomllib.TOMLDecodeError:
                lib = "src/lib.rs"
            return posixpath.normpath(posixpath.join(folder, str(lib)))
        if posixpath.basename(folder) == "src":
            candidate = posixpath.join(folder, "lib.rs")
            if project.read(candidate) is not None:
                return candidate
        if not folder:
            return None
        folder = posixpath.dirname(folder)


def build(project: Project, root: str) -> Crate | None:
    """The crate whose library root is ``root``; ``None`` when the root cannot be read."""
    source = project.read(root)
    if source is None:
        return None
    manifest = project.read(
        posixpath.join(posixpath.dirname(posixpath.dirname(root)), "Cargo.toml")
    )
    crate = Crate(root, default_features(manifest))
    data = source.encode("utf-8", "surrogatepass")
    tree = GRAMMAR.parse(data)
    crate.trees.append(tree)
    crate.sources[root] = data
    _collect(crate, project, (), Module(root, tree.root_node, True))
    _resolve_uses(crate)
    return crate


def _child_dir(mod: Module) -> str:
    folder, name = posixpath.split(mod.file)
    base = folder if name in ("lib.rs", "main.rs", "mod.rs") else posixpath.join(folder, name[:-3])
    return posixpath.join(base, *mod.inline)


def _collect(crate: Crate, project: Project, path: ModPath, mod: Module) -> None:
    crate.modules[path] = mod
    source = crate.sources[mod.file]
    for item in children(mod.container):
        found = head(item, source)
        if not compiled(found.attributes, crate.features):
            continue
        if item.type == "use_declaration":
            if visibility(item, source) == "pub":
                mod.uses.append(item)
            continue
        name = name_of(item, source)
        if visibility(item, source) == "pub":
            mod.pub_items.add(name)
        if item.type != "mod_item":
            continue
        declared = visibility(item, source) == "pub"
        inner = body(item)
        if inner is not None:
            child = Module(mod.file, inner, declared, (*mod.inline, name))
            _collect(crate, project, (*path, name), child)
            continue
        located = _locate(project, mod, name, found.attributes)
        if located is None:
            crate.unreadable.append(posixpath.join(_child_dir(mod), name + ".rs"))
            continue
        file, text_ = located
        data = text_.encode("utf-8", "surrogatepass")
        tree = GRAMMAR.parse(data)
        crate.trees.append(tree)
        crate.sources[file] = data
        _collect(crate, project, (*path, name), Module(file, tree.root_node, declared))


def _locate(
    project: Project, mod: Module, name: str, attributes: tuple[str, ...]
) -> tuple[str, str] | None:
    for attribute in attributes:
        if attribute.startswith("path") and "=" in attribute:
            target = attribute.split("=", 1)[1].strip().strip('"')
            folder = posixpath.join(posixpath.dirname(mod.file), *mod.inline)
            candidates = [posixpath.normpath(posixpath.join(folder, target))]
            break
    else:
        folder = _child_dir(mod)
        candidates = [posixpath.join(folder, name + ".rs"), posixpath.join(folder, name, "mod.rs")]
    for candidate in candidates:
        found = project.read(candidate)
        if found is not None:
            return candidate, found
    return None


# --- pub use -------------------------------------------------------------------------------------


def _resolve_uses(crate: Crate) -> None:
    """Mark what ``pub use`` in public modules exports, until nothing changes."""
    done: set[tuple[ModPath, int]] = set()
    changed = True
    while changed:
        changed = False
        for path, mod in list(crate.modules.items()):
            if not crate.public(path):
                continue
            for use in mod.uses:
                if (path, use.start_byte) in done:
                    continue
                done.add((path, use.start_byte))
                changed = True
                for segments in _use_paths(
                    use.child_by_field_name("argument"), crate.sources[mod.file]
                ):
                    _export(crate, path, segments)


def _use_paths(
    node: Node | None, source: bytes, prefix: tuple[str, ...] = ()
) -> list[tuple[str, ...]]:
    if node is None:
        return []
    kind = node.type
    if kind in ("identifier", "self", "crate", "super"):
        return [(*prefix, text(node, source))]
    if kind == "scoped_identifier":
        return [(*prefix, *text(node, source).replace(" ", "").split("::"))]
    if kind == "use_as_clause":
        return _use_paths(node.child_by_field_name("path"), source, prefix)
    if kind == "use_wildcard":
        inner = text(node, source).replace(" ", "").removesuffix("*").removesuffix("::")
        return [(*prefix, *[s for s in inner.split("::") if s], "*")]
    if kind == "scoped_use_list":
        base = node.child_by_field_name("path")
        more = tuple(text(base, source).replace(" ", "").split("::")) if base is not None else ()
        return _use_paths(node.child_by_field_name("list"), source, (*prefix, *more))
    if kind == "use_list":
        return [p for child in node.named_children for p in _use_paths(child, source, prefix)]
    return []


def _export(crate: Crate, here: ModPath, segments: tuple[str, ...]) -> None:
    base = _start(crate, here, segments[0])
    if base is None:
        return  # another crate's item: not this crate's to document
    rest = list(segments[1:])
    while rest and rest[0] == "super":
        base, rest = base[:-1], rest[1:]
    for segment in rest[:-1]:
        base = (*base, segment)
        if base not in crate.modules:
            return
    last = rest[-1] if rest else "self"
    if last == "self":
        crate.forced.add(base)
    elif last == "*":
        module = crate.modules.get(base)
        for name in module.pub_items if module else ():
            _export_name(crate, base, name)
    else:
        _export_name(crate, base, last)


def _export_name(crate: Crate, module: ModPath, name: str) -> None:
    if (*module, name) in crate.modules:
        crate.forced.add((*module, name))
    crate.reexported.add((module, name))


def _start(crate: Crate, here: ModPath, first: str) -> ModPath | None:
    if first == "crate":
        return ()
    if first == "self":
        return here
    if first == "super":
        return here[:-1]
    for candidate in ((*here, first), (first,)):
        if candidate in crate.modules:
            return candidate
    return None
