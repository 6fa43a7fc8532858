"""A page's title is text: the browser's tab, bookmarks and screen readers read `<title>` as it is,
so a tag inside it is shown as « <p class=... » (it once held the directory's extract link)."""

import re
from pathlib import Path

from django.conf import settings
from django.test import Client

TITLE_BLOCK = re.compile(r"{%\s*block title\s*%}(.*?){%\s*endblock", re.S)


def templates() -> list[Path]:
    return [path for folder in settings.TEMPLATES[0]["DIRS"] for path in Path(folder).rglob("*.html")]


def test_no_title_block_holds_markup():
    assert templates()
    found = {str(path): block for path in templates()
             for block in TITLE_BLOCK.findall(path.read_text(encoding="utf-8")) if "<" in block or "\n" in block}
    assert not found


def test_the_directory_page_title(db):
    page = Client().get("/rpps/annuaire/").content.decode()
    title = re.search(r"<title>([^<]*)</title>", page).group(1)
    assert title == "Annuaire Santé — professionnels à rôle — Portail ESMS"
