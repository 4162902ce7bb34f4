"""split_think: the one parser of think tags, read by the rewards, distill and serve."""

import pytest

from wenforge.text.think import closing_tags, split_message, split_think


def test_no_tags_means_no_reasoning():
    assert split_think("  答案是 4 \n") == (None, "答案是 4")
    assert split_think("") == (None, "")


@pytest.mark.parametrize(
    "text",
    ["<think>a</think>ans", "<think >a</think >ans", "<Think>a</Think>ans", "<THINK>a</ think>ans",
     "<think>\n a \n</think>\n\nans"],
)
def test_tags_are_case_and_whitespace_tolerant(text):
    assert split_think(text) == ("a", "ans")


def test_several_blocks_join_reasoning_and_answer():
    assert split_think("<think>a</think>b<think>c</think>d") == ("a\n\nc", "bd")
    assert split_think("<think>a<think>b</think>c") == ("a<think>b", "c")  # an opening tag inside stays text


def test_closing_tag_without_opening_one_makes_what_came_before_reasoning():
    assert split_think("先想</think>答案") == ("先想", "答案")
    assert split_think("reasoning \\boxed{1}</think> \\boxed{2}") == ("reasoning \\boxed{1}", "\\boxed{2}")
    assert split_think("<think>a</think>b</Think >c") == ("a\n\nb", "c")


def test_unclosed_think_leaves_no_answer():
    assert split_think("<think>没想完") == ("没想完", "")
    assert split_think("<Think>so it is \\boxed{18}") == ("so it is \\boxed{18}", "")
    assert split_think("答案：7 <think>再想想") == ("再想想", "")


def test_empty_block_is_empty_reasoning_not_none():
    assert split_think("<think></think>\\boxed{7}") == ("", "\\boxed{7}")


def test_closing_tags_counted_with_the_same_tolerance():
    assert closing_tags("<think>a</think>b</Think >") == 2
    assert closing_tags("no tags") == 0


def test_split_message_reads_reasoning_fields_and_content_tags():
    assert split_message({"content": "答案", "reasoning_content": "想"}) == ("想", "答案")
    assert split_message({"content": "答案", "reasoning": "想"}) == ("想", "答案")
    assert split_message({"content": "<think>想一想</think>\n答案是4"}) == ("想一想", "答案是4")
    assert split_message({"content": "<think>b</think>答", "reasoning_content": "a"}) == ("a\n\nb", "答")
    assert split_message({"content": None}) == (None, "")
    assert split_message({"content": "答", "reasoning_content": "  "}) == (None, "答")
