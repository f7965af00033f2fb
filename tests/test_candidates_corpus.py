"""The candidates tool on three real corpus posts about Huawei: what it proposes, and drafts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from corpus import CORPUS, REASON

from converters.editing.candidates import main, proposals
from converters.pipeline import Options, convert_file, write_pages
from converters.registry import load_registry

ROOT = Path(__file__).resolve().parents[1]
REGISTRY = ROOT / "docs" / "_data" / "registry.yaml"
POSTS = [CORPUS / "nytimes-cn" / "2020-09-18-37c35119ee.md",
         CORPUS / "nytimes-cn" / "2020-10-23-0f6a33d8a9.md",
         CORPUS / "caixin" / "2020-06-15-ce9f80f6f5.md"]
REVIEWED = yaml.safe_load((ROOT / "tests" / "data" / "huawei-candidates-reviewed.yaml")
                          .read_text(encoding="utf-8"))
#: The largest share of proposals that may be something other than a name.
MAX_NOT_NAMES = 0.20

# the shared corpus
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not all(p.is_file() for p in POSTS),
                                reason=REASON)]


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The three posts converted (and tagged) as the edition would."""
    folder = tmp_path_factory.mktemp("huawei") / "articles"
    for post in POSTS:
        write_pages(convert_file(post, Options()), folder)
    return folder


def test_proposals_are_mostly_names(articles: Path) -> None:
    """台积电 and 中芯国际 are proposed; under 20 % of proposals are not names."""
    found = [c.text for c, _count in proposals(articles, load_registry(REGISTRY))]
    assert "台积电" in found and "中芯国际" in found
    names, not_names = set(REVIEWED["names"]), set(REVIEWED["not_names"])
    unreviewed = [text for text in found if text not in names | not_names]
    assert unreviewed == [], "review these proposals in tests/data/huawei-candidates-reviewed.yaml"
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
    assert len([line for line in draft.read_text(encoding="utf-8").splitlines()
                if line.startswith("- ")]) == len(lines) - 2
    left = [c.text for c, _count in proposals(articles, loaded)]
    assert "台积电" not in left and "官孟" not in left
