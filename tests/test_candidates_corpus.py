"""The candidates tool on real corpus posts: what it proposes, the types and forms it drafts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from corpus import CORPUS, REASON

from converters.common.registry import load_registry
from converters.editing.candidates import drafted, main, proposals
from converters.editing.draft import entry
from converters.editing.importing import write_pages
from converters.pipeline import Options, convert_file

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "docs" / "_data" / "registry.yaml"
POSTS = [CORPUS / "nytimes-cn" / "2020-09-18-37c35119ee.md",
         CORPUS / "nytimes-cn" / "2020-10-23-0f6a33d8a9.md",
         CORPUS / "caixin" / "2020-06-15-ce9f80f6f5.md"]
REVIEWED = yaml.safe_load((ROOT / "tests" / "data" / "huawei-candidates-reviewed.yaml")
                          .read_text(encoding="utf-8"))
#: The reviewed type of each reviewed name (the registry's types; places are not indexed).
TYPES = {**dict.fromkeys(REVIEWED["people"], "person"),
         **dict.fromkeys(REVIEWED["organisations"], "company"),
         **dict.fromkeys(REVIEWED["places"], "place")}
#: The largest share of proposals that may be something other than a name.
MAX_NOT_NAMES = 0.20
#: The smallest share of the reviewed names whose type the draft gets right.
MIN_TYPES_RIGHT = 0.90
#: A Caixin post on Tencent's advertising (its reader's slug was caixin-cw888-f): the names the
#: tool once got wrong — Martin, 事业群, 长尾, 宝洁, 雅诗兰黛 — and "Pro" (once a word, 152
#: times a piece of one).
TENCENT = CORPUS / "caixin" / "2020-01-18-41365cdff0.md"

# the shared corpus
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not all(p.is_file() for p in [*POSTS, TENCENT]),
                                reason=REASON)]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three posts converted (and tagged) as the edition would."""
    folder = tmp_path_factory.mktemp("huawei") / "articles"
    for post in POSTS:
        write_pages(convert_file(post, Options()), folder)
    return folder


def test_proposals_are_mostly_names(articles: Path) -> None:
    """台积电 and 中芯国际 are proposed; at least 40 reviewed names, under 20 % not names."""
    found = [c.text for c, _count in proposals(articles, load_registry(REGISTRY))]
    assert "台积电" in found and "中芯国际" in found
    names, not_names = set(TYPES), set(REVIEWED["not_names"])
    unreviewed = [text for text in found if text not in names | not_names]
    assert unreviewed == [], "review these proposals in tests/data/huawei-candidates-reviewed.yaml"
    assert len([text for text in found if text in names]) >= 40
    bad = [text for text in found if text in not_names]
    assert len(bad) / len(found) < MAX_NOT_NAMES, bad
    # a transliterated name is one proposal, not its pieces
    assert "威廉·巴尔" in found and "威廉" not in found and "迈克" not in found


def test_draft_and_accept(articles: Path, tmp_path: Path,
                          capsys: pytest.CaptureFixture[str]) -> None:
    """--draft proposes entries with both scripts, pinyin, a type and the count; --accept
    moves the accepted line into the registry and the rejected one under not_entities."""
    registry = tmp_path / "registry.yaml"
    shutil.copyfile(REGISTRY, registry)
    draft = tmp_path / "draft.yaml"
    assert main(["--articles", str(articles), "--registry", str(registry),
                 "--draft", str(draft)]) == 1
    lines = [line for line in draft.read_text(encoding="utf-8").splitlines()
             if line.startswith("- ")]
    entries = {e["labels"]["zh-Hans"] or e["label"]: e
               for e in (yaml.safe_load(line)[0] for line in lines)}
    tsmc = entries["台积电"]
    assert tsmc["labels"]["zh-Hant"] in ("臺積電", "台積電")
    assert tsmc["evidence"] and tsmc["occurrences"] >= 40
    assert tsmc["pinyin"] == "tái jī diàn" and tsmc["id"] == "tai-ji-dian"
    assert tsmc["type"] == "company" and tsmc["review"] == "pending"
    assert tsmc["occurrences"] >= 40
    assert entries["余承东"]["type"] == "person"

    text = draft.read_text(encoding="utf-8")
    tsmc_line = next(line for line in lines if '"台积电"' in line)
    bad_line = next(line for line in lines if '"官孟"' in line)
    text = text.replace(tsmc_line, tsmc_line.replace('review: "pending"', 'review: "accept"')
                        .replace('id: "tai-ji-dian"', 'id: "tsmc"')
                        .replace('label: ""', 'label: "TSMC"').replace('en: ""', 'en: "TSMC"')
                        .replace('description: ""', 'description: "Chip foundry in Taiwan."'))
    text = text.replace(bad_line, bad_line.replace('"pending"', '"not_entity"'))
    draft.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["--accept", str(draft), "--registry", str(registry)]) == 0
    assert "1 entr(y/ies) added, 1 name(s) under not_entities" in capsys.readouterr().out
    loaded = load_registry(registry)
    assert loaded.by_id["tsmc"].label == "TSMC"
    assert "官孟" in loaded.not_entities
    # TSMC closes the section of foreign companies, not the list under the comment that heads
    # not_entities
    written = registry.read_text(encoding="utf-8").split("\n")
    at = written.index("- id: tsmc")
    section = max(i for i, line in enumerate(written[:at]) if line.startswith("# --- "))
    assert written[section] == "# --- Companies: American and other foreign companies"
    assert written[at - 1].startswith("  wikidata:") and written[at + 7] == ""
    assert len([line for line in draft.read_text(encoding="utf-8").splitlines()
                if line.startswith("- ")]) == len(lines) - 2
    left = [c.text for c, _count in proposals(articles, loaded)]
    assert "台积电" not in left and "官孟" not in left


def test_the_type_is_right_for_nine_names_in_ten(articles: Path) -> None:
    """The draft's type (from jieba's tags and the words around the name) is the reviewed type
    for at least 90 % of the reviewed names, and says why."""
    described = [p for p in drafted(articles, load_registry(REGISTRY)) if p.text in TYPES]
    assert len(described) >= 40
    wrong = [(p.text, p.kind, TYPES[p.text], p.evidence) for p in described
             if p.kind != TYPES[p.text]]
    assert 1 - len(wrong) / len(described) >= MIN_TYPES_RIGHT, wrong
    assert all(p.evidence for p in described)
    by_name = {p.text: p for p in described}
    assert by_name["高通"].kind == "company" and "listed with Samsung" in by_name["高通"].evidence
    assert by_name["曾盟斌"].kind == "person" and "CEO" in by_name["曾盟斌"].evidence
    assert by_name["Trend Force"].kind == "company"  # glosses 集邦咨询, after 机构


@pytest.fixture(scope="module")
def tencent(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The Tencent post converted, and the draft of its candidates by name."""
    folder = tmp_path_factory.mktemp("tencent") / "articles"
    write_pages(convert_file(TENCENT, Options()), folder)
    return {p.text: p for p in drafted(folder, load_registry(REGISTRY))}


def test_counts_are_of_whole_words(tencent: dict[str, object]) -> None:
    """"Pro" is one word of the text (公开课 Pro), not every "pro" inside another word."""
    pro = tencent["Pro"]
    assert pro.occurrences == 1  # type: ignore[attr-defined]


def test_a_known_alias_is_matched_before_it_is_proposed(tencent: dict[str, object],
                                                        tmp_path: Path) -> None:
    """"Martin (刘炽平)": an alias of liu-chiping, not a new company; accepted, it is one."""
    from converters.editing.draft import accept, write_draft

    martin = tencent["Martin"]
    assert martin.alias_of == "liu-chiping" and martin.kind == "person"  # type: ignore[attr-defined]
    registry = tmp_path / "registry.yaml"
    shutil.copyfile(REGISTRY, registry)
    draft = tmp_path / "draft.yaml"
    write_draft(draft, [martin])  # type: ignore[list-item]
    draft.write_text(draft.read_text(encoding="utf-8").replace('"pending"', '"accept"'),
                     encoding="utf-8")
    assert accept(draft, registry) == (1, 0, 0)
    loaded = load_registry(registry)
    assert "Martin" in loaded.by_id["liu-chiping"].aliases
    assert len(loaded.entities) == len(load_registry(REGISTRY).entities)


def test_companies_jieba_tags_as_people_are_companies(tencent: dict[str, object]) -> None:
    """宝洁 and 雅诗兰黛 are nr in jieba's dictionary; the text says they are companies."""
    for name in ("宝洁", "雅诗兰黛"):
        proposal = tencent[name]
        assert proposal.kind == "company", proposal  # type: ignore[attr-defined]
        assert "its dictionary's tag" in proposal.evidence  # type: ignore[attr-defined]


def test_pinyin_and_traditional_forms(tencent: dict[str, object]) -> None:
    """长尾 is cháng wěi (the long tail), 事业群 is 事業群 (not the variant 事業羣); a polyphone
    the dictionary does not settle is listed for the reviewer."""
    long_tail = entry(tencent["长尾"])  # type: ignore[arg-type]
    assert long_tail["pinyin"] == "cháng wěi" and long_tail["id"] == "chang-wei"
    group = entry(tencent["事业群"])  # type: ignore[arg-type]
    assert group["labels"]["zh-Hant"] == "事業群"
    assert "check_pinyin" not in long_tail
