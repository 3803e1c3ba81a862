"""Prompt building: a cacheable static prefix, context trimmed to the budget, batching."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.docmodel import DocstringDraft
from bot.prompts import (
    MAX_BATCH,
    DraftBatch,
    Prompt,
    build_prompts,
    header,
    make_prompt,
    repair_messages,
    response_format,
    strict_schema,
    system_prompt,
)
from bot.targets import TargetOptions, scan
from bot.tokens import estimating_counter
from tests.fakes.code import requests, stdlib_requests

SOURCE = (Path(__file__).parent / "data" / "llm" / "inventory.py").read_text(encoding="utf-8")
REQUESTS = requests("shop/inventory.py", SOURCE)
COUNTER = estimating_counter()
BIG = 128_000


def plan(reqs=REQUESTS, *, window: int = BIG, allowance: int = 256, batch: bool = True):
    return build_prompts(
        reqs, counter=COUNTER, context_window=window, allowance=allowance, batch=batch
    )


def by_name(name: str) -> int:
    return next(i for i, r in enumerate(REQUESTS) if r.target.qualname == name)


def test_the_static_prefix_is_byte_identical_across_files_and_batches() -> None:
    other = stdlib_requests(3, 2)
    prompts = plan(REQUESTS, batch=False)[0] + plan(other)[0]
    systems = {p.messages[0]["content"] for p in prompts}
    assert len(systems) == 1
    assert [m["role"] for m in prompts[0].messages] == ["system", "user"]
    # long enough for Azure's prompt cache, which starts at 1,024 tokens
    assert COUNTER.count(systems.pop()) >= 1024


def test_everything_that_varies_comes_after_the_prefix() -> None:
    prompt = plan(batch=False)[0][by_name("Inventory.take")]
    system, user = (m["content"] for m in prompt.messages)
    assert "shop/inventory.py" not in system and "Inventory.take" not in system
    assert "File: shop/inventory.py" in user and "qualname: Inventory.take" in user


@pytest.mark.parametrize("style", ["google", "numpy", "sphinx"])
def test_each_style_has_its_own_guide(style: str) -> None:
    assert f"## Style: {style}" in system_prompt(style)


def test_target_block_states_the_facts_the_answer_is_checked_against() -> None:
    user = plan(batch=False)[0][by_name("Inventory.low")].messages[1]["content"]
    assert "signature: def low(self, threshold: int, *skus: str) -> Iterator[str]:" in user
    assert "parameters: threshold, *skus" in user
    assert "returns a value: no" in user and "generator: yes" in user
    take = plan(batch=False)[0][by_name("Inventory.take")].messages[1]["content"]
    assert "raises: OutOfStock" in take and "returns a value: yes" in take


def test_schema_is_strict_every_object_closed_and_fully_required() -> None:
    schema = strict_schema(DraftBatch)

    def objects(node):
        if isinstance(node, dict):
            if node.get("type") == "object":
                yield node
            for value in node.values():
                yield from objects(value)
        elif isinstance(node, list):
            for item in node:
                yield from objects(item)

    found = list(objects(schema))
    assert len(found) == 6  # batch, answer, draft, param, return, raise
    for node in found:
        assert node["additionalProperties"] is False
        assert sorted(node["required"]) == sorted(node["properties"])
    draft = schema["$defs"]["DocstringDraft"]
    assert list(draft["properties"]) == list(DocstringDraft.model_fields)
    assert response_format()["json_schema"]["strict"] is True


def test_batching_puts_a_files_targets_in_one_request_with_the_module_once() -> None:
    prompts, skips = plan()
    assert not skips
    assert len(prompts) == 1 and prompts[0].indices == tuple(range(len(REQUESTS)))
    assert prompts[0].level == "module"
    assert prompts[0].messages[1]["content"].count("left = self.levels.get(sku, 0) - count") == 1
    unbatched, _ = plan(batch=False)
    assert len(unbatched) == len(REQUESTS)
    assert prompts[0].tokens < sum(p.tokens for p in unbatched)


def test_batches_hold_one_file_and_at_most_max_batch_targets() -> None:
    reqs = stdlib_requests(2, 12)
    prompts, _ = plan(reqs)
    assert [len(p.indices) for p in prompts] == [MAX_BATCH, 12 - MAX_BATCH] * 2
    for prompt in prompts:
        assert len({reqs[i].target.path for i in prompt.indices}) == 1


def _tokens(level: str, index: int) -> int:
    prompt = make_prompt(REQUESTS, [index], level=level, counter=COUNTER)  # type: ignore[arg-type]
    assert prompt is not None
    return prompt.tokens


@pytest.mark.parametrize(
    ("room", "level"), [("module", "module"), ("class", "class"), ("definition", "definition")]
)
def test_context_is_trimmed_module_then_class_then_definition(room: str, level: str) -> None:
    index, allowance = by_name("Inventory.take"), 64
    window = _tokens(room, index) + allowance
    prompts, _ = plan(window=window, allowance=allowance, batch=False)
    chosen = next(p for p in prompts if p.indices == (index,))
    assert chosen.level == level
    assert chosen.tokens <= window - allowance
    user = chosen.messages[1]["content"]
    assert ("Outline of the module" in user) == (level == "module")
    assert ("Outline of the enclosing class" in user) == (level == "class")


def test_the_class_outline_lists_member_signatures_not_bodies() -> None:
    index = by_name("Inventory.take")
    prompt = make_prompt(REQUESTS, [index], level="class", counter=COUNTER)
    assert prompt is not None
    outline = prompt.messages[1]["content"].split("```python\n")[1].split("```")[0]
    assert outline.splitlines()[0] == "class Inventory:"
    assert "    def load(self) -> None: ..." in outline
    assert "json.loads" not in outline


def test_a_function_has_no_class_level_so_it_goes_straight_to_the_definition() -> None:
    assert make_prompt(REQUESTS, [by_name("restock")], level="class", counter=COUNTER) is None


def test_a_target_that_fits_nowhere_is_skipped_with_the_reason() -> None:
    index, allowance = by_name("restock"), 64
    window = _tokens("definition", index) + allowance - 1
    prompts, skips = plan([REQUESTS[index]], window=window, allowance=allowance)
    assert prompts == []
    assert len(skips) == 1 and skips[0].index == 0
    assert "too large" in skips[0].reason and f"{window}-token context window" in skips[0].reason


def test_a_batch_too_big_for_the_budget_is_split() -> None:
    full, _ = plan()
    window = full[0].tokens  # the batch's own allowance no longer fits
    prompts, skips = plan(window=window, allowance=64)
    assert not skips and len(prompts) > 1
    assert sorted(i for p in prompts for i in p.indices) == list(range(len(REQUESTS)))


def test_repair_quotes_the_problems_and_asks_only_for_the_failing_ids() -> None:
    prompt: Prompt = plan()[0][0]
    messages = repair_messages(prompt, '{"answers": []}', {"T3": ["Remove parameters: x."]})
    assert messages[: len(prompt.messages)] == list(prompt.messages)
    assert messages[-2] == {"role": "assistant", "content": '{"answers": []}'}
    assert "- T3: Remove parameters: x." in messages[-1]["content"]
    assert "Answer again for T3 only" in messages[-1]["content"]


def test_a_neighbours_body_edit_leaves_a_targets_prompt_unchanged() -> None:
    edited = SOURCE.replace('"\\n".join(f"{sku}: {n}', '"; ".join(f"{sku}: {n}')
    assert edited != SOURCE
    before = {r.target.qualname: r for r in REQUESTS}
    after = {r.target.qualname: r for r in requests("shop/inventory.py", edited)}
    for name in ("Inventory", "Inventory.take", "restock"):
        old, new = plan([before[name]])[0][0], plan([after[name]])[0][0]
        assert old.messages == new.messages, name
    changed_old, changed_new = plan([before["report"]])[0][0], plan([after["report"]])[0][0]
    assert changed_old.messages != changed_new.messages


def test_a_class_is_shown_by_outline_and_constructor_not_every_method_body() -> None:
    user = plan([REQUESTS[by_name("Inventory")]])[0][0].messages[1]["content"]
    block = user.split("### Target T1")[1]
    assert "self.path = path" in block  # the constructor, in full
    assert "left = self.levels" not in block  # take's body belongs to take's own target


def test_the_header_is_cut_at_python_lines_not_at_form_feeds() -> None:
    source = "@d\ndef f(a,\x0c\n      b):\n    return a\n"
    (target,) = scan("m.py", source, frozenset({2}), TargetOptions()).targets
    assert header(target) == "def f(a, b):"


# --- other languages -------------------------------------------------------------------------


def test_a_typescript_prompt_names_the_language_its_convention_and_fences_the_code() -> None:
    from bot.languages import Project
    from bot.languages.typescript import TYPESCRIPT_LANGUAGE
    from bot.prompts import make_prompt
    from bot.providers.base import DraftRequest

    source = "export function total(lines: number[]): number {\n  return lines.length;\n}\n"
    (target,) = TYPESCRIPT_LANGUAGE.scan(
        "src/cart.ts", source, frozenset({1}), TargetOptions(), project=Project()
    ).targets
    request = DraftRequest(target, source, "tsdoc")
    prompt = make_prompt([request], [0], level="module", counter=estimating_counter())
    assert prompt is None  # no Python outline for TypeScript: the definition is the context
    prompt = make_prompt([request], [0], level="definition", counter=estimating_counter())
    assert prompt is not None
    system, user = (str(m["content"]) for m in prompt.messages)
    assert "documentation for typescript code" in system
    assert "## Language: typescript; style: tsdoc\nTypeScript; TSDoc" in system
    assert system_prompt("google") in system_prompt("google", "python")
    assert "signature: export function total(lines: number[]): number {\n" in user
    assert "```typescript\nexport function total" in user
