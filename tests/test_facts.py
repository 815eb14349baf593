"""Facts as data (issue 11): `data/facts.yaml`, `[[fact:id]]` with its card, the Facts page,
and the checks that trace every number of the prose to a fact and every quotation to its
source's words. Built on the tea fixture (tests/fixtures/tea), never on the research notes outside the project."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, Result, build, run_cli, soup
from test_errors import assert_documented

TEA = FIXTURES / "tea"
DIAG_RE = re.compile(r"^(?P<path>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?P<sev>error|warning): (?P<msg>.*)$", re.M)


def diagnostics(result: Result) -> list[dict[str, str]]:
    return [m.groupdict() for m in DIAG_RE.finditer(result.err)]


def edit(site: Path, rel: str, old: str, new: str) -> None:
    path = site / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, (rel, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def check(site: Path, *args: str) -> Result:
    return run_cli("check", "--source", site, "--templates", ROOT / "templates", *args)


def findings(result: Result, sev: str) -> list[dict[str, str]]:
    found = [d for d in diagnostics(result) if d["sev"] == sev]
    assert_documented([d["msg"] for d in found])
    return found


# --- the reference, its card, the Facts page ---------------------------------------------


def test_fact_reference_prints_says_and_a_card(tea_site: Path) -> None:
    home = soup(tea_site / "index.html")
    facts = home.select("article .fact")
    assert [f.select_one(".fact-ref").get_text() for f in facts] == ["12%", "40 adults", "about two words*"]
    first = facts[0]
    link = first.select_one("a.fact-ref")
    assert link["href"] == "facts/#fact-recall-gain"  # without JavaScript: a link to the fact's entry
    card = home.find(id=link["aria-describedby"])
    assert card["role"] == "tooltip" and "fact-card" in card["class"]
    assert card.select_one(".fact-status").get_text() == "Checked against the source"
    assert card.select_one("q.fact-words").get_text() == (  # in the language's marks (strings: quote)
        "\u201cword recall improved by 12% in the tea group compared with the water group\u201d"
    )
    # Two authors are both named: never "et al." for two.
    assert card.select_one(".fact-source").get_text() == "Source: Doe and Roe (2020), J Fixture Stud, abstract"
    assert card.has_attr("data-pagefind-ignore")


def test_readings_and_unconfirmed_facts_carry_a_visible_mark(tea_site: Path) -> None:
    reading = soup(tea_site / "index.html").select("article .fact")[2]
    assert "fact-reading" in reading["class"]
    assert reading.select_one(".fact-ref .fact-mark").get_text() == "*"  # not by colour alone
    assert reading.select_one(".fact-status").get_text() == "Our reading, drawn from other facts"
    assert "12% (People who drank green tea" in reading.select_one(".fact-drawn").get_text()
    facts_page = soup(tea_site / "facts" / "index.html")
    unconfirmed = facts_page.find(id="fact-recall-p")
    assert "fact-unconfirmed" in unconfirmed["class"]
    assert unconfirmed.select_one(".fact-mark").get_text() == "?"
    assert "Unconfirmed" in unconfirmed.select_one(".fact-status").get_text()


def test_fact_reference_in_data_markdown(tea_site: Path) -> None:
    claim = soup(tea_site / "claims" / "cure" / "index.html")
    ref = claim.select_one(".fact a.fact-ref")
    assert ref.get_text() == "12%" and ref["href"] == "../../facts/#fact-recall-gain"


def test_facts_page_lists_every_fact_with_words_status_source_and_uses(tea_site: Path) -> None:
    page = soup(tea_site / "facts" / "index.html")
    entries = page.select("li.fact-entry")
    assert [e["id"] for e in entries] == [
        "fact-recall-gain",
        "fact-trial-size",
        "fact-recall-p",
        "fact-words-per-person",
    ]
    gain = page.find(id="fact-recall-gain")
    assert "word recall improved by 12%" in gain.select_one(".fact-words").get_text()
    # Grouped by source: the source's citation once, above its facts; each fact says where in it.
    assert "Tea and recall" in gain.find_parent("section").select_one(".fact-group-source").get_text()
    assert "(abstract)" in gain.select_one(".fact-source").get_text()
    uses = {a["href"]: a.get_text() for a in gain.select(".fact-uses a")}
    assert uses == {"../": "Green tea and memory", "../claims/cure/": "\u201cTea cures forgetting\u201d"}
    assert "no page yet" in page.find(id="fact-recall-p").select_one(".fact-uses").get_text()
    drawn = page.find(id="fact-words-per-person").select_one(".fact-drawn a")
    assert drawn["href"] == "#fact-recall-gain"
    nav = [a.get_text() for a in soup(tea_site / "index.html").select("nav.site-nav a")]
    assert "Facts" in nav


def test_a_site_without_facts_has_no_facts_in_the_menu(tmp_path: Path, tea_copy: Path) -> None:
    (tea_copy / "data" / "facts.yaml").unlink()
    edit(
        tea_copy,
        "pages/index.md",
        "In the trial, word recall rose by [[fact:recall-gain]] among [[fact:trial-size]]. That\n"
        "is [[fact:words-per-person]] more per person.\n",
        "",
    )
    edit(tea_copy, "data/claims.yaml", " Recall differed by [[fact:recall-gain]] (p = 0.03) [@trial];", "")
    result = build(tea_copy, tmp_path / "out", "--no-search", "--strict")
    assert result.code == 0, result.err
    nav = [a.get_text() for a in soup(tmp_path / "out" / "index.html").select("nav.site-nav a")]
    assert "Facts" not in nav


# --- a fact's words or our notes of them (`noted`) ------------------------------------------

NOTED_LABEL = "Our notes of the source (not its exact words):"


def note_trial_size(site: Path) -> None:
    """trial-size gives our notes of the source instead of its exact words."""
    edit(site, "data/facts.yaml", '  words: "40 adults aged 50 to 70', '  noted: "40 adults aged 50 to 70')


def test_a_noted_fact_is_shown_as_our_notes_never_in_quotation_marks(tmp_path: Path, tea_copy: Path) -> None:
    note_trial_size(tea_copy)
    result = build(tea_copy, tmp_path / "out", "--no-search", "--strict")
    assert result.code == 0, result.err
    home = soup(tmp_path / "out" / "index.html")
    link = home.select("article .fact")[1].select_one("a.fact-ref")
    assert link.get_text() == "40 adults"
    card = home.find(id=link["aria-describedby"])
    assert card.select_one(".fact-status").get_text() == "Checked against the source"  # the status is its own
    assert card.select("q, blockquote") == []
    assert card.select_one(".fact-noted").get_text() == f"{NOTED_LABEL} 40 adults aged 50 to 70 were randomised"
    assert "\u201c" not in card.get_text() and '"' not in card.get_text()
    entry = soup(tmp_path / "out" / "facts" / "index.html").find(id="fact-trial-size")
    assert entry.select("q, blockquote, .fact-words") == []
    noted = entry.select_one("p.fact-noted")
    assert noted.select_one(".fact-label").get_text() == NOTED_LABEL
    assert " ".join(noted.get_text().split()) == f"{NOTED_LABEL} 40 adults aged 50 to 70 were randomised"
    # A fact with the source's exact words still shows them as a quotation.
    gain = soup(tmp_path / "out" / "facts" / "index.html").find(id="fact-recall-gain")
    assert gain.select_one("blockquote.fact-words") is not None and gain.select_one(".fact-noted") is None


def test_the_noted_label_comes_from_the_strings_file(tmp_path: Path, tea_copy: Path) -> None:
    note_trial_size(tea_copy)
    edit(tea_copy, "site.yaml", "language: en", "language: fr")
    # A French site writes its decimals with a comma (its facts' `says` and its prose alike).
    edit(tea_copy, "data/facts.yaml", 'says: "p = 0.03"', 'says: "p = 0,03"')
    edit(tea_copy, "data/claims.yaml", "(p = 0.03)", "(p = 0,03)")
    result = build(tea_copy, tmp_path / "out", "--no-search")
    assert result.code == 0, result.err
    entry = soup(tmp_path / "out" / "facts" / "index.html").find(id="fact-trial-size")
    label = entry.select_one(".fact-noted .fact-label").get_text()
    assert label == "Nos notes de la source (pas ses mots exacts)\u00a0:"
    card = soup(tmp_path / "out" / "index.html").select("article .fact")[1].select_one(".fact-noted")
    assert card.get_text().startswith("Nos notes de la source (pas ses mots exacts)\u00a0: 40 adults")


def test_a_quotation_matching_only_a_noted_paraphrase_fails(tea_copy: Path) -> None:
    edit(
        tea_copy,
        "pages/evidence.md",
        "Catechin is the tea compound studied.",
        'In the trial, the adults "were randomised" [@trial].',
    )
    assert check(tea_copy, "--strict").code == 0  # the fact's exact words: the quotation is the source's
    note_trial_size(tea_copy)
    result = check(tea_copy, "--strict")
    assert result.code == 1
    errors = findings(result, "error")
    assert [(e["path"].endswith("pages/evidence.md"), e["line"]) for e in errors] == [(True, "7")], result.err
    assert errors[0]["msg"].startswith(
        "quotation does not match the words of source 'trial', 'news': \"were randomised\""
    )


def test_a_noted_fact_need_not_be_in_the_sources_full_text(tea_copy: Path) -> None:
    note_trial_size(tea_copy)
    (tea_copy / "sources" / "trial.txt").write_text(
        "Word recall improved by 12% in the tea group compared with the water group (p = 0.03).\n", encoding="utf-8"
    )
    result = check(tea_copy, "--strict")
    assert result.code == 0, result.err


def test_a_fact_needs_words_or_noted(tea_copy: Path) -> None:
    edit(tea_copy, "data/facts.yaml", '  words: "40 adults aged 50 to 70 were randomised"\n', "")
    errors = findings(check(tea_copy), "error")
    assert [(e["line"], e["msg"]) for e in errors] == [
        (
            "11",
            "fact is missing required key 'words' (only status: reading may omit it): "
            "give the source's exact words, or 'noted': your notes of what it says",
        )
    ]


# --- the fact kind: errors at their line ----------------------------------------------------


def test_a_fact_whose_source_is_unknown_fails(tea_copy: Path) -> None:
    edit(tea_copy, "data/facts.yaml", '  source: trial\n  words: "40 adults', '  source: trail\n  words: "40 adults')
    result = check(tea_copy)
    assert result.code == 1
    errors = findings(result, "error")
    assert errors[0]["path"].endswith("data/facts.yaml") and errors[0]["line"] == "16" and errors[0]["col"] == "11"
    assert errors[0]["msg"] == "unknown source id 'trail'; did you mean 'trial'? (known ids: trial, news)"
    # One mistake, one error: the page that prints the fact does not add another.
    assert len(errors) == 1, result.err


@pytest.mark.parametrize(
    ("old", "new", "line", "message"),
    [
        ("  drawn_from: [recall-gain]\n", "", 29, r"a fact with status: reading needs 'drawn_from'"),
        (
            "drawn_from: [recall-gain]",
            "drawn_from: [recall-gian]",
            34,
            r"unknown fact id 'recall-gian'; did you mean 'recall-gain'\?",
        ),
        (
            '  words: "(p = 0.03)"\n',
            "",
            20,
            r"fact is missing required key 'words' \(only status: reading may omit it\)",
        ),
        ('says: "40 adults"', 'says: "41 adults"', 13, r"'says' prints 41, which is not one of the fact's numbers"),
        ("status: unconfirmed", "status: unconfrmed", 28, r"'status' must be one of: checked, unconfirmed, reading"),
        (
            "{value: 40, unit: adults, kind: count}",
            "{value: forty, unit: adults, kind: count}",
            15,
            r"'value' must be a number",
        ),
        ("- id: trial-size", "- id: recall-gain", 11, r"duplicate fact id 'recall-gain' \(first on line 2\)"),
        (
            "status: reading\n  drawn_from",
            "status: checked\n  drawn_from",
            29,
            r"fact is missing required key 'source'",
        ),
    ],
)
def test_bad_fact_entries_get_a_located_error(tea_copy: Path, old: str, new: str, line: int, message: str) -> None:
    edit(tea_copy, "data/facts.yaml", old, new)
    result = check(tea_copy)
    assert result.code == 1, result.err
    assert "Traceback" not in result.err
    errors = findings(result, "error")
    assert any(
        e["path"].endswith("data/facts.yaml") and int(e["line"]) == line and re.search(message, e["msg"])
        for e in errors
    ), result.err


def test_unknown_fact_reference_gets_a_suggestion(tea_copy: Path) -> None:
    edit(tea_copy, "pages/index.md", "[[fact:trial-size]]", "[[fact:trial-sise]]")
    result = check(tea_copy)
    errors = findings(result, "error")
    assert [(e["line"], e["col"], e["msg"]) for e in errors] == [
        ("9", "62", "unknown fact id 'trial-sise'; did you mean 'trial-size'?")
    ]


# --- numbers --------------------------------------------------------------------------------


def test_a_made_up_number_fails_strict_at_its_line(tea_copy: Path) -> None:
    edit(tea_copy, "pages/evidence.md", "Catechin is the tea compound studied.", "Catechin lowered forgetting by 37%.")
    loose = check(tea_copy)
    assert loose.code == 0, loose.err
    warnings = findings(loose, "warning")
    assert [(w["path"].endswith("pages/evidence.md"), w["line"], w["col"]) for w in warnings] == [(True, "7", "78")]
    assert warnings[0]["msg"].startswith("number not traced to a fact: 37 (print it with [[fact:id]]")
    strict = check(tea_copy, "--strict")
    assert strict.code == 1
    assert re.search(r"evidence\.md:7:78: error: number not traced to a fact: 37", strict.err), strict.err


def test_a_made_up_number_in_data_markdown_fails_strict(tea_copy: Path) -> None:
    edit(tea_copy, "data/limits.yaml", "Few people took part [@trial].", "Only 17 people took part [@trial].")
    strict = check(tea_copy, "--strict")
    assert strict.code == 1
    assert re.search(r"limits\.yaml:3:22: error: number not traced to a fact: 17", strict.err), strict.err


def test_a_cited_value_is_traced_and_an_uncited_one_is_not(tea_copy: Path) -> None:
    # 0.03 is a value of a fact of 'trial': traced where the trial is cited, not elsewhere.
    edit(
        tea_copy,
        "pages/evidence.md",
        "Catechin is the tea compound studied.",
        "Recall differed (p = 0.03) [@trial].\n\nA p of 0.03 again.",
    )
    result = check(tea_copy, "--strict")
    errors = findings(result, "error")
    assert [(e["line"], e["col"]) for e in errors] == [("9", "8")], result.err


def test_a_wrong_sign_is_not_the_value(tea_copy: Path) -> None:
    edit(
        tea_copy,
        "pages/evidence.md",
        "Catechin is the tea compound studied.",
        "Recall rose by 12% [@trial], not -12% [@trial].",
    )
    errors = findings(check(tea_copy, "--strict"), "error")
    assert [(e["line"], e["col"], e["msg"][:32]) for e in errors] == [("7", "80", "number not traced to a fact: -12")]


def test_numbers_that_are_not_data_pass(tmp_path: Path, tea_copy: Path) -> None:
    text = (
        "Published on 2021-03-04, on 4 March 2021 and in June 2020, we met at Week 4 and in\n"
        "Table 2 (95% CI), after the 3rd visit; COVID-19 and L4 are names. A \\12 shown as is.\n\n"
        "1. A numbered list item\n2. Another one\n\n"
        "`code 77` and [a link](https://example.com/55) and ![picture 3](/static/x.png).\n"
    )
    edit(tea_copy, "pages/evidence.md", "[[block:limits]]", text + "\n[[block:limits]]")
    (tea_copy / "static").mkdir(exist_ok=True)
    (tea_copy / "static" / "x.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    result = build(tea_copy, tmp_path / "out", "--no-search", "--strict")
    assert result.code == 0, result.err
    page = soup(tmp_path / "out" / "evidence" / "index.html").get_text()
    assert "A 12 shown as is." in page and "\\12" not in page  # the backslash is not shown


def test_a_sentence_starting_with_a_capital_word_and_a_number_is_data(tea_copy: Path) -> None:
    edit(
        tea_copy, "pages/evidence.md", "Catechin is the tea compound studied.", "Catechin is studied. Among 300 people."
    )
    errors = findings(check(tea_copy, "--strict"), "error")
    assert [e["msg"][:32] for e in errors] == ["number not traced to a fact: 300"]


# --- quotations -----------------------------------------------------------------------------


def test_a_misquoted_source_fails(tea_copy: Path) -> None:
    edit(tea_copy, "data/claims.yaml", '"a remarkable result"', '"a remarkable breakthrough"')
    result = check(tea_copy)
    assert result.code == 1
    errors = findings(result, "error")
    assert [(e["path"].endswith("data/claims.yaml"), e["line"]) for e in errors] == [(True, "7")]
    assert errors[0]["msg"].startswith(
        "quotation does not match the words of source 'trial', 'news': \"a remarkable breakthrough\""
    )


def test_quotations_may_cut_and_insert_and_match_facts_words(tea_copy: Path) -> None:
    edit(
        tea_copy,
        "pages/evidence.md",
        "Catechin is the tea compound studied.",
        'The trial found "word recall improved ... in the tea group" [@trial]. The story: '
        '"It is a remarkable [trial] result," [@news].',
    )
    result = check(tea_copy, "--strict")
    assert result.code == 0, result.err  # each part between a cut or an insertion is the source's words


def test_a_claim_quote_must_be_the_claims_source_words(tea_copy: Path) -> None:
    edit(tea_copy, "data/claims.yaml", 'quote: "Tea cures forgetting"', 'quote: "Tea cures all forgetting"')
    errors = findings(check(tea_copy), "error")
    assert [(e["line"], e["msg"]) for e in errors] == [
        (
            "1",
            "claim quote does not match the words of source 'news', 'trial': "
            '"Tea cures all forgetting" (copy it exactly)',
        )
    ]


def test_fact_words_must_be_in_the_sources_full_text(tea_copy: Path) -> None:
    (tea_copy / "sources" / "trial.txt").write_text("Word recall improved by 12% in the tea group.\n", encoding="utf-8")
    errors = findings(check(tea_copy), "error")
    assert {e["msg"] for e in errors} == {
        "the words of fact 'recall-gain' are not in sources/trial.txt: copy them exactly from the text",
        "the words of fact 'trial-size' are not in sources/trial.txt: copy them exactly from the text",
        "the words of fact 'recall-p' are not in sources/trial.txt: copy them exactly from the text",
    }


def test_a_source_text_must_be_named_after_a_source(tea_copy: Path) -> None:
    (tea_copy / "sources" / "newz.txt").write_text("Anything.\n", encoding="utf-8")
    errors = findings(check(tea_copy), "error")
    assert [e["msg"] for e in errors] == [
        "no source with id 'newz' for this text; did you mean 'news'?: name the file after a source id in sources.yaml"
    ]


def test_an_unverifiable_quotation_is_a_warning(tea_copy: Path) -> None:
    (tea_copy / "sources" / "news.txt").unlink()
    result = check(tea_copy)
    assert result.code == 0
    warnings = findings(result, "warning")
    assert [w["msg"][:48] for w in warnings] == [
        "claim quote cannot be checked: no fact of source",
        "quotation cannot be checked: no fact of source '",
    ]


# --- reading grade --------------------------------------------------------------------------


def test_reading_grade_limit_from_site_yaml(tea_copy: Path) -> None:
    edit(tea_copy, "site.yaml", "claims_source: news", "claims_source: news\nchecks: {reading_grade: 2}")
    edit(
        tea_copy,
        "data/claims.yaml",
        'summary: "One small trial cannot show a cure."',
        'summary: "Consequently, epidemiological considerations notwithstanding, a solitary investigation '
        'cannot demonstrate therapeutic efficacy."',
    )
    result = check(tea_copy, "--strict")
    errors = findings(result, "error")
    assert [(e["path"].split("/")[-1], e["line"], e["msg"][:40]) for e in errors] == [
        ("claims.yaml", "1", "reading grade of the summary of claim 'c"),
        ("index.md", "1", "reading grade of the home page is 2.9, a"),
    ], result.err
    edit(tea_copy, "site.yaml", "reading_grade: 2", "reading_grade: 40")
    assert check(tea_copy, "--strict").code == 0


def test_reading_scores_are_kept_by_the_cache_and_made_again_for_a_changed_text(tea_copy: Path, tmp_path: Path) -> None:
    """textstat reads its 134,000-word dictionary before it scores an English text (0.9 s): a
    build with the cache scores only texts it has not scored, with the same result."""
    edit(tea_copy, "site.yaml", "claims_source: news", "claims_source: news\nchecks: {reading_grade: 2}")
    out = tmp_path / "out"

    def grades() -> list[str]:
        result = build(tea_copy, out, "--no-search")
        assert result.code == 0, result.err
        return sorted(line.split(": warning: ", 1)[1] for line in result.err.splitlines() if "reading grade" in line)

    first = grades()
    assert first and all("above the site's limit of 2" in g for g in first)
    (details,) = (tea_copy.parent / ".cache" / "explainer").glob("*/details.json")
    kept = json.loads(details.read_text(encoding="utf-8"))["v"]["scores"]["v"]
    assert len(kept) == len(first)  # one score a text: the home page and each claim's summary
    edit(tea_copy, "pages/evidence.md", "## ", "An added sentence.\n\n## ")
    assert grades() == first  # the other page's edit: the kept scores, the same warnings
    hard = "Consequently, epidemiological considerations notwithstanding, one investigation proves nothing."
    edit(tea_copy, "pages/index.md", "---\nA small trial", f"---\n{hard}\n\nA small trial")
    changed = grades()
    assert changed != first and len(changed) == len(first)  # the home page's text changed: scored again
    assert changed == grades()


def test_a_site_without_facts_gets_one_warning_not_one_per_number(tea_copy: Path) -> None:
    (tea_copy / "data" / "facts.yaml").unlink()
    edit(tea_copy, "pages/index.md", "[[fact:recall-gain]]", "12%")
    edit(tea_copy, "pages/index.md", "[[fact:trial-size]]", "40 adults")
    edit(tea_copy, "pages/index.md", "[[fact:words-per-person]]", "about two words")
    edit(tea_copy, "data/claims.yaml", "[[fact:recall-gain]]", "12%")
    result = check(tea_copy)
    assert result.code == 0, result.err
    warnings = findings(result, "warning")
    assert [(w["line"], w["col"], w["msg"][:66]) for w in warnings] == [
        ("9", "35", "number not traced to a fact: 12 (the site has no facts yet, so no ")
    ]
    assert check(tea_copy, "--strict").code == 1


def test_a_blockquote_is_checked_against_the_source_its_lead_in_cites(tea_copy: Path) -> None:
    quote = 'One of the researchers said [@news]:\n\n> "It is a remarkable result."\n\n'
    edit(tea_copy, "pages/evidence.md", "[[block:limits]]", quote + "[[block:limits]]")
    assert check(tea_copy, "--strict").code == 0
    edit(tea_copy, "pages/evidence.md", '> "It is a remarkable result."', '> "It is a miracle."')
    errors = findings(check(tea_copy), "error")
    assert [(e["line"], e["col"]) for e in errors] == [("12", "3")]
    assert errors[0]["msg"].startswith("quotation does not match the words of source 'news': \"It is a miracle.\"")
