"""What an attacker stores is shown as the characters it is: never Markdown, HTML,
rich markup, a terminal link or a control sequence (channelguard.escape)."""

from __future__ import annotations

from rich.console import Console

from channelguard.escape import control_free, html, markdown, terminal

# a title, channel, identity or note as a hostile client sends it
HOSTILE = (
    "# Forged\n## heading [click](https://evil.example) <script>alert(1)</script> "
    "[bold red]rich[/] \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ "
    "\x1b[2J\x1b[31mred\x9b0m \x07\x00\x7f | cell | **bold** `code` \u202eevil"
)


def test_control_free_drops_escape_sequences_links_and_controls() -> None:
    clean = control_free(HOSTILE)
    assert not any((ord(c) < 32 and c not in "\t\n") or 0x7F <= ord(c) <= 0x9F for c in clean)
    assert "\u202e" not in clean and "]8;;" not in clean and "[2J" not in clean
    assert "link" in clean and "red" in clean  # the visible text stays


def test_markdown_is_one_literal_line() -> None:
    md = markdown(HOSTILE)
    assert "\n" not in md and not md.startswith("#")
    assert "[click](" not in md and "\\[click\\]\\(https" in md
    assert "<script>" not in md and "\\<script\\>" in md
    assert "| cell |" not in md and "\\*\\*bold\\*\\*" in md
    for start in ("- item", "+ item", "1. item", "= rule", "> quote"):
        assert markdown(start)[0] == "\\" or markdown(start)[1] == "\\", start


def test_html_escapes_tags_and_quotes() -> None:
    out = html('<img src=x onerror="alert(1)">\x1b[31m')
    assert out == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"


def test_terminal_text_is_never_markup_nor_a_link() -> None:
    console = Console(record=True, width=400, force_terminal=True, color_system="truecolor")
    console.print(terminal("[link=https://evil.example]x[/link] [bold]b[/] \x1b]8;;u\x07y"))
    raw = console.export_text(styles=True)
    assert "[link=https://evil.example]x[/link] [bold]b[/]" in raw
    assert "\x1b]8" not in raw


def test_a_lone_surrogate_is_shown_as_a_replacement_character() -> None:
    assert control_free("a\ud800b") == "a\ufffdb"
    assert markdown("\udfff") == "\ufffd"
