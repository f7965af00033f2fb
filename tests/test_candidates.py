"""The candidates tool: unknown names are reported, reviewed names and markup are not."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from converters.common.registry import load_registry
from converters.editing.candidates import find_candidates, main, visible_lines
from converters.editing.importing import write_pages
from converters.pipeline import Options, convert_file

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
REGISTRY = ROOT / "docs" / "_data" / "registry.yaml"

#: An article in the edition's MyST format with planted unknown names in the text, and names in
#: places that are not reader-visible text (front matter, role targets, labels, footnote URLs).
PLANTED = """\
---
title: Acme Widgets and Zhang Sanfeng
authors: [Hidden Author]
---

(planted)=
# A planted article

(planted-p1)=
Zhang Sanfeng, founder of Acme Widgets, met {ent}`Tencent <hidden-target>` in
{date}`2020 <2020>`.[^1]

(planted-p2)=
张三丰创办了一家公司，与{ent}`腾讯 <tencent>`合作。

:::{figure} https://example.org/Secret/Image.jpg
:name: planted-f1
:alt: Alt Person

Credit: Dongyan Xu
:::

[^1]: <https://example.org/Concealed/Name>
"""


def write(folder: Path, name: str, text: str) -> Path:
    """Write one article file."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_visible_lines_keep_numbering_and_drop_markup() -> None:
    """Front matter, labels, role targets, directive options and footnote URLs are gone; the
    line numbers of what remains are those of the file."""
    lines = visible_lines(PLANTED)
    assert len(lines) == len(PLANTED.split("\n"))
    text = "\n".join(lines)
    for hidden in ("Hidden Author", "hidden-target", "Secret", "Concealed", "planted-p1", "Alt",
                   "Credit"):
        assert hidden not in text
    number = PLANTED.split("\n").index(next(x for x in PLANTED.split("\n") if "Sanfeng," in x))
    assert lines[number] == "Zhang Sanfeng, founder of Acme Widgets, met Tencent in"
    assert lines[number + 1] == "2020."


def test_planted_unknown_names_are_reported(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """Unknown English and Chinese names come out as ``file:line: name``, with exit status 1;
    once reviewed, the same articles pass with 0."""
    articles = tmp_path / "articles"
    page = write(articles, "planted.md", PLANTED)
    assert main(["--articles", str(articles), "--registry", str(REGISTRY)]) == 1
    out = capsys.readouterr().out.strip().split("\n")
    lines = PLANTED.split("\n")
    english_line = next(n for n, x in enumerate(lines, 1) if "Sanfeng," in x)
    chinese_line = next(n for n, x in enumerate(lines, 1) if "张三丰" in x)
    assert f"{page}:{english_line}: Zhang Sanfeng" in out
    assert f"{page}:{english_line}: Acme Widgets" in out
    assert f"{page}:{chinese_line}: 张三丰" in out
    assert out[-1] == f"{len(out) - 1} unreviewed candidate(s)"
    # Names in front matter, role targets, URLs and known names are not candidates.
    assert not any(hidden in "\n".join(out)
                   for hidden in ("Hidden", "Secret", "Concealed", "Tencent", "腾讯", "Dongyan"))

    reviewed = tmp_path / "registry.yaml"
    text = REGISTRY.read_text(encoding="utf-8")
    reviewed.write_text(text.rstrip("\n") + "\n- Zhang Sanfeng\n- Acme Widgets\n- 张三丰\n",
                        encoding="utf-8")
    assert main(["--articles", str(articles), "--registry", str(reviewed)]) == 0
    assert capsys.readouterr().out.strip() == "0 unreviewed candidate(s)"


def test_registry_errors_and_missing_folder(tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    """A broken registry or a missing folder: one ``error:`` line each, exit status 2."""
    articles = tmp_path / "articles"
    write(articles, "a.md", "Text.\n")
    broken = tmp_path / "registry.yaml"
    broken.write_text(REGISTRY.read_text(encoding="utf-8").replace(
        "type: company", "type: firm", 1), encoding="utf-8")
    assert main(["--articles", str(articles), "--registry", str(broken)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {broken}:") and "'firm'" in err
    assert main(["--articles", str(tmp_path / "nowhere"), "--registry", str(REGISTRY)]) == 2
    assert "no such folder" in capsys.readouterr().err


def test_sentence_starts_and_headings_are_not_names(tmp_path: Path) -> None:
    """A sentence's ordinary first word and titles of ordinary words (headings, quoted titles)
    are not names; a capitalised word in mid-sentence is."""
    articles = tmp_path / "articles"
    write(articles, "a.md", "# Seek Compound Interest\n\nHowever, the plan worked. "
                            "Nobody saw it, but Quuxcorp did.\n\n"
                            "the plan is seeking compound interest.\n\n"
                            "The essay “Work Hard” asks for hard work from Zorblax.\n")
    found = find_candidates(articles, load_registry(REGISTRY))
    assert [c.text for c in found] == ["Quuxcorp", "Zorblax"]


# --------------------------------------------------------------------------- the real seeds


def seed_texts() -> dict[str, str]:
    """The reader-visible text of the four seeds, extracted directly from the raw files: the
    body and captions of the HTML seeds, the plain-text seeds as they are."""
    out: dict[str, str] = {}
    html = (SEEDS / "000_a5d899cc8bfa8607.txt").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    title = soup.find("a")
    parts = [title.get_text() if title else ""]
    parts += [el.get_text() for el in soup.select("section p, footer p, figcaption, small")]
    out["000.md"] = "\n\n".join(parts)
    post = (SEEDS / "001_116d69d97c42a296.txt").read_text(encoding="utf-8").split("---", 2)[2]
    soup = BeautifulSoup(post, "lxml")
    parts = [el.get_text(" ") for el in soup.select("h1.page-title, div.entry-content > p")]
    out["001.md"] = "\n\n".join(" ".join(p.split()) for p in parts)
    for name in ("002_adb9185c34c19f90.txt", "003_9afefc053d5ace72.txt"):
        out[name[:3] + ".md"] = (SEEDS / name).read_text(encoding="utf-8")
    return out


def test_no_unreviewed_candidates_in_the_seeds(tmp_path: Path) -> None:
    """Every name in the four seeds is either in the registry or reviewed as not an entity."""
    articles = tmp_path / "articles"
    for name, text in seed_texts().items():
        write(articles, name, text)
    found = find_candidates(articles, load_registry(REGISTRY))
    assert [str(c) for c in found] == []


def test_no_unreviewed_candidates_in_converted_seeds(tmp_path: Path) -> None:
    """The articles the converters make from the seeds (tagged, as published) pass too.

    Each seed is read by its own reader: a reader missing is a failure here, not a skip.
    """
    articles = tmp_path / "articles"
    formats = {}
    for seed in sorted(SEEDS.glob("[0-9][0-9][0-9]_*")):
        converted = convert_file(seed, Options())
        formats[seed.name[:3]] = converted.format
        assert write_pages(converted, articles), seed.name
    assert formats == {"000": "nytimes", "001": "caixin", "002": "bilingual",
                       "003": "plaintext"}
    found = find_candidates(articles, load_registry(REGISTRY))
    assert [str(c) for c in found] == []


def test_no_unreviewed_candidates_in_the_edition() -> None:
    """The committed articles of the edition pass (``python -m converters candidates``)."""
    folder = ROOT / "docs" / "articles"
    assert list(folder.glob("*.md")), "docs/articles is committed: no articles is a failure"
    assert [str(c) for c in find_candidates(folder, load_registry(REGISTRY))] == []


def test_occurrences_are_counted_as_whole_words(tmp_path: Path) -> None:
    """"Pro" twice as a word, and inside Products, process, Profit: counted twice."""
    from converters.editing.candidates import proposals

    articles = tmp_path / "articles"
    write(articles, "words.md", "---\ntitle: t\n---\n\n(words-p1)=\nThe Pro came out. Products "
          "and the process were for Profit; the Pro met Acme Widgets, and Acme Widgets grew.\n")
    counted = {c.text: n for c, n in proposals(articles, load_registry(REGISTRY))}
    assert counted["Pro"] == 2
    assert counted["Acme Widgets"] == 2


def test_chinese_occurrences_are_words_of_the_text() -> None:
    """A name counts where jieba's cut, knowing it, leaves it a word."""
    from converters.editing.candidates import chinese_words

    lines = ["法官孟晚舟表示同意。", "孟晚舟说，手机芯片的供应断了。", "机芯片"]
    counted = chinese_words(lines, ["孟晚舟", "机芯片"])
    assert counted["孟晚舟"] == 2
    assert counted["机芯片"] == 1  # the line where it stands alone; never inside 手机芯片


def test_pinyin_reads_polyphones_as_the_texts_mean_them() -> None:
    """长尾 (the long tail) is cháng wěi; a person's surname 曾 is zēng; ids follow."""
    from converters.editing.draft import Proposal, entry, make_id, pinyin, readings_to_check

    assert pinyin("长尾") == "cháng wěi" and make_id("长尾") == "chang-wei"
    assert pinyin("曾盟斌", person=True) == "zēng méng bīn"
    assert make_id("曾盟斌", person=True) == "zeng-meng-bin"
    line = entry(Proposal("曾盟斌", "nr", 2, "a.md:3", "person"))
    assert line["pinyin"] == "zēng méng bīn" and line["id"] == "zeng-meng-bin"
    assert "曾" in readings_to_check("曾某某")  # not settled by any dictionary: the reviewer checks


def test_traditional_forms_follow_the_texts() -> None:
    """事业群 is 事業群 in Taiwan's standard (OpenCC's s2t writes the variant 事業羣); a form the
    texts write themselves wins."""
    from converters.editing.draft import traditional

    assert traditional("事业群") == "事業群"
    assert traditional("台积电") == "臺積電"
    assert traditional("台积电", ["台积电", "台積電"]) == "台積電"
