#!/usr/bin/python3
# blocks.py - every code block of the given Markdown files, as JSON lines:
# {"file", "line", "kind": "fence"|"indented", "info", "content"}.
# CommonMark parsing by Debian's python3-markdown-it, so an indented block
# inside a list is told apart from a list item's text exactly.
import json
import sys

from markdown_it import MarkdownIt

md = MarkdownIt("commonmark")
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        text = f.read()
    for tok in md.parse(text):
        if tok.type in ("fence", "code_block"):
            print(json.dumps({
                "file": path,
                "line": tok.map[0] + 1,
                "kind": "fence" if tok.type == "fence" else "indented",
                "info": tok.info.strip(),
                "content": tok.content,
            }))
