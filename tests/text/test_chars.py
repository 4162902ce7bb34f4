"""canonical_surface: the form every scorer reads, so ASCII punctuation or traditional script do not move scores."""

from wenforge.text.chars import canonical_punctuation, canonical_surface


def test_ascii_marks_beside_han_become_full_width():
    assert canonical_punctuation("我到了,你呢?他说:好.") == "我到了，你呢？他说：好。"
    assert canonical_punctuation("(注意)明天放假!") == "（注意）明天放假！"


def test_straight_quotes_alternate_open_and_close():
    assert canonical_punctuation('她说"走吧"。') == "她说“走吧”。"


def test_decimals_urls_ellipses_and_english_are_left_alone():
    assert canonical_punctuation("票价3.5元,见www.example.com。") == "票价3.5元，见www.example.com。"
    assert canonical_punctuation("Hello, world. OK?") == "Hello, world. OK?"
    assert canonical_punctuation("他想了想...算了") == "他想了想...算了"


def test_one_space_between_mark_and_han_still_counts():
    assert canonical_punctuation("天晴了 , 我们走") == "天晴了 ， 我们走"


def test_surface_is_simplified_and_keeps_length():
    for text in ("這是一個測試,對嗎?", "時間過得真快。", "plain ascii text"):
        out = canonical_surface(text)
        assert len(out) == len(text)
    assert canonical_surface("這是一個測試,對嗎?") == "这是一个测试，对吗？"
