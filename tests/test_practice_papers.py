"""The papers for a practice (docs/practice/) match the code: every stored field is described,
in English and in Dutch, and nothing is described that is no longer stored."""

import re
from pathlib import Path

import pytest
from django.apps import apps

from hechting.housekeeping import steps

PRACTICE = Path(__file__).resolve().parent.parent / "docs" / "practice"
RECORDS = [PRACTICE / "en" / "record-of-processing.md", PRACTICE / "nl" / "verwerkingsregister.md"]
PAPERS = {
    "en": [
        "record-of-processing",
        "dpia",
        "retention",
        "counsellor-access",
        "meldcode",
        "accessibility",
    ],
    "nl": [
        "verwerkingsregister",
        "dpia",
        "bewaartermijnen",
        "wat-een-hulpverlener-ziet",
        "meldcode",
        "toegankelijkheid",
    ],
}
# Django's own bookkeeping, with nothing about a person in it.
NOT_PERSONAL = {"auth.Permission", "auth.Group", "contenttypes.ContentType"}
SECTION = re.compile(r"^### `(?P<model>[a-z_]+\.[A-Za-z]+)`", re.MULTILINE)
ROW = re.compile(r"^\| `(?P<field>[a-z_0-9]+)` \|", re.MULTILINE)


def documented(record: Path) -> dict[str, set[str]]:
    text = record.read_text(encoding="utf-8")
    sections = list(SECTION.finditer(text))
    found = {}
    for number, section in enumerate(sections):
        end = sections[number + 1].start() if number + 1 < len(sections) else len(text)
        found[section["model"]] = set(ROW.findall(text, section.end(), end))
    return found


def stored() -> dict[str, set[str]]:
    return {
        model._meta.label: {
            field.name for field in [*model._meta.concrete_fields, *model._meta.many_to_many]
        }
        for model in apps.get_models()
        if model._meta.label not in NOT_PERSONAL
    }


@pytest.mark.parametrize("record", RECORDS, ids=lambda path: path.parent.name)
def test_the_record_of_processing_describes_every_stored_field_and_no_other(record):
    papers, code = documented(record), stored()
    where = record.relative_to(PRACTICE.parent.parent)
    missing = [
        f"{label}.{name}: add a row '| `{name}` | ... |' under '### `{label}`' in {where}"
        for label, fields in sorted(code.items())
        for name in sorted(fields - papers.get(label, set()))
    ]
    gone = [
        f"{label}.{name} is described in {where} but no longer stored: remove its row"
        for label, fields in sorted(papers.items())
        for name in sorted(fields - code.get(label, set()))
    ]
    assert not missing + gone, "\n".join(missing + gone)


def test_both_languages_describe_the_same_models():
    english, dutch = (set(documented(record)) for record in RECORDS)
    assert english == dutch


@pytest.mark.parametrize(
    ("language", "name"), [(lang, name) for lang, names in PAPERS.items() for name in names]
)
def test_every_paper_exists_in_both_languages_and_is_linked_from_the_index(language, name):
    paper = PRACTICE / language / f"{name}.md"
    assert paper.is_file(), paper
    assert f"({language}/{name}.md)" in (PRACTICE / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize(("language", "name"), [("en", "retention"), ("nl", "bewaartermijnen")])
def test_the_retention_table_names_every_housekeeping_step(language, name):
    text = (PRACTICE / language / f"{name}.md").read_text(encoding="utf-8")
    for step, _ in steps():
        assert f"`{step}`" in text, f"docs/practice/{language}/{name}.md lacks the step `{step}`"
