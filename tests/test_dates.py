"""Date tagging: every date form of the seeds, with its precision; numbers that are not dates."""

from __future__ import annotations

import calendar
from datetime import date
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from hypothesis import given, settings
from hypothesis import strategies as st

from converters.dates import find_dates, normalise, tag_dates
from converters.model import Article, Link, Mention, Metadata, Paragraph, Text, article_text

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def dates_in(text: str, article_date: str = "") -> list[tuple[str, str]]:
    """(shown text, ISO target) of the date mentions tagging makes in one paragraph."""
    article = Article(slug="t", meta=Metadata(date=article_date), blocks=[Paragraph([Text(text)])])
    tag_dates(article)
    assert article_text(article) == text  # tagging never changes what readers see
    block = article.blocks[0]
    assert isinstance(block, Paragraph)
    return [(n.text, n.target) for n in block.inlines if isinstance(n, Mention)]


@pytest.mark.parametrize(("text", "article_date", "expected"), [
    # seed 000 (Chinese), seed 001 (Chinese, 2020 article: month and day take the article's year)
    ("2025年1月21日", "", [("2025年1月21日", "2025-01-21")]),
    ("7 月 12 日，白宫顾问纳瓦罗针对 TikTok 表态称", "2020-07-24T03:24:32+01:00",
     [("7 月 12 日", "2020-07-12")]),
    ("6 月底，中国 59 款应用被印度政府以「隐私安全」为由禁用", "2020-07-24T03:24:32+01:00",
     [("6 月底", "2020-06")]),
    ("7 月中旬，一位字节跳动的中资投资机构内部人士", "2020-07-24", [("7 月中旬", "2020-07")]),
    ("5 月，抖音和 TikTok 齐推换装特效活动", "2020-07-24", [("5 月", "2020-05")]),
    ("2019 年开始，TikTok 扫荡了全球各个地区的应用排行榜首位", "2020-07-24",
     [("2019 年", "2019")]),
    ("这为政府在2020年和2021年对阿里巴巴", "", [("2020年", "2020"), ("2021年", "2021")]),
    ("他曾在2018年说", "", [("2018年", "2018")]),
    ("小红书成立于2013年，尚未上市", "", [("2013年", "2013")]),
    # seed 002 (English and Traditional Chinese)
    ("When OpenAI released ChatGPT on Nov. 30, 2022, A.I. engineers", "",
     [("Nov. 30, 2022", "2022-11-30")]),
    ("2022年11月30日,OpenAI發布ChatGPT時", "", [("2022年11月30日", "2022-11-30")]),
    ("In 2018, I began this column", "", [("2018", "2018")]),
    # seed 003 (English)
    ("In August 2004, Microsoft announced", "", [("August 2004", "2004-08")]),
    ("Alibaba's IPO in 2014, e-commerce penetration", "", [("2014", "2014")]),
    ("billion since 2000—these astronomical figures", "", [("2000", "2000")]),
    ("By 2002, most Chinese internet companies", "", [("2002", "2002")]),
    ("the pains of 1998, and fiscal support", "", [("1998", "1998")]),
    ("until 2009, when the consensus", "", [("2009", "2009")]),
    ("At the end of 2000, China Mobile launched", "", [("2000", "2000")]),
    ("by mid-2020 it was over", "", [("2020", "2020")]),
    ("on 30 November 2022 and on the 1st of March 2021", "",
     [("30 November 2022", "2022-11-30"), ("1st of March 2021", "2021-03-01")]),
    ("in March 2021 and on March 3, 2021", "",
     [("March 2021", "2021-03"), ("March 3, 2021", "2021-03-03")]),
])
def test_date_forms(text: str, article_date: str, expected: list[tuple[str, str]]) -> None:
    """Each form the seeds use becomes a mention whose ISO length is its precision."""
    assert dates_in(text, article_date) == expected


@pytest.mark.parametrize("text", [
    "许多人是“996”工作制——早上9点上班、晚上9点下班",
    "原本 2 万个座位的体育场只来了 6000 人",
    "rural pensioners live on less than $20 a month",
    "没有多少人相信政府宣布的5%增长率",
    "Only by shifting our gaze away from lithography machines and 2nm processes",
    "From QQ 2003 to QQ 2007, Tencent continuously improved",
    "QQ added a screenshot feature in the 2004 version",
    "among the 586 unlisted unicorns, the U.S. accounted for 233",
    "1500 万个赞，3 个月后",
    "in the 1990s and the 1990年代",
    "in 2,000 stores and in 1800",
    "whether it is November 11 or not",  # no article date: no year to give it
    "see https://www.gov.cn/xinwen/2018-10/25/2018年10月25日.htm",
    "you may march on",
])
def test_numbers_that_are_not_dates(text: str) -> None:
    """Numbers, amounts, versions, decades, URLs and implausible years stay text."""
    assert dates_in(text) == []


def test_year_comes_from_the_article_only_when_missing() -> None:
    """An explicit year wins; a month without one takes the article's; none without a date."""
    assert dates_in("2019年7月12日和7月13日", "2020-07-24") == [
        ("2019年7月12日", "2019-07-12"), ("7月13日", "2020-07-13")]
    assert dates_in("7月13日", "") == []
    assert dates_in("whether it is November 11 or not", "2024-11-12") == [
        ("November 11", "2024-11-11")]
    assert dates_in("whether it is November 11 or not", "2024") == []  # a year is too weak


def test_impossible_dates_are_not_tagged() -> None:
    """February 30 is no date, in either language (the Chinese form still names a month)."""
    assert dates_in("2021年2月30日") == [("2021年2月", "2021-02")]
    assert dates_in("on Feb. 30, 2021") == []


def test_links_and_existing_mentions() -> None:
    """Dates inside link text are tagged; existing mentions (an entity) are left alone."""
    kept = Mention(text="2020年", kind="entity", target="x")
    article = Article(slug="t", meta=Metadata(), blocks=[Paragraph([
        kept, Link([Text("2017年，我曾")], "https://example.org/2017/")])])
    tag_dates(article)
    block = article.blocks[0]
    assert isinstance(block, Paragraph)
    assert block.inlines[0] is kept
    link = block.inlines[1]
    assert isinstance(link, Link) and link.url == "https://example.org/2017/"
    assert link.children[0] == Mention(text="2017年", kind="date", target="2017")


def test_seed_000_dates() -> None:
    """The years of the NYT column as the seed writes them, in order."""
    html = (SEEDS / "000_a5d899cc8bfa8607.txt").read_text(encoding="utf-8")
    section = BeautifulSoup(html, "lxml").find("section")
    assert section is not None
    found = [iso for _, _, iso in find_dates(section.get_text(), 2025)]
    assert found == ["2014", "2016", "2017", "2024", "2018", "2020", "2021", "2022", "2017",
                     "2013"]


@pytest.mark.parametrize(("expr", "year", "expected"), [
    ("2025年1月21日", None, ("2025-01-21", "day")),
    ("6 月底", 2020, ("2020-06", "month")),
    ("6 月底", None, None),
    ("Nov. 30, 2022", None, ("2022-11-30", "day")),
    ("August 2004", None, ("2004-08", "month")),
    ("in 2014", None, ("2014", "year")),
    ("2018年", None, ("2018", "year")),
    ("996", None, None),
    ("2 月 30 日", 2020, None),
])
def test_normalise(expr: str, year: int | None, expected: tuple[str, str] | None) -> None:
    """``normalise`` gives the ISO target and its precision for one whole expression."""
    assert normalise(expr, year) == expected


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.booleans())
def test_any_chinese_date_round_trips(day: date, spaced: bool) -> None:
    """Every real day written the Chinese way (with or without spaces) comes back as ISO."""
    sep = " " if spaced else ""
    expr = f"{day.year}{sep}年{sep}{day.month}{sep}月{sep}{day.day}{sep}日"
    assert normalise(expr, None) == (day.isoformat(), "day")


# no deadline: dateparser's first call loads its language data, and a busy machine is slow
@settings(deadline=None)
@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31)), st.booleans())
def test_any_english_date_round_trips(day: date, abbreviated: bool) -> None:
    """Every real day written the American way comes back as ISO, month names read by
    dateparser."""
    month = calendar.month_abbr[day.month] + "." if abbreviated else calendar.month_name[day.month]
    assert normalise(f"{month} {day.day}, {day.year}", None) == (day.isoformat(), "day")
    assert normalise(f"{calendar.month_name[day.month]} {day.year}", None) == (
        day.isoformat()[:7], "month")
