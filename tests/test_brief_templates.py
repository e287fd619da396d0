"""Every built-in brief template renders, in Markdown and HTML, with a partner and a campaign,
and the TikTok briefs carry the format rules and the Norwegian advertising label."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from briefs.render import builtin_folders, list_templates
from tests.brief_support import add_campaign, run

BUILT_IN = sorted(
    p.name.removesuffix(".md.j2") for f in builtin_folders() for p in f.glob("[!_]*.md.j2")
)


def test_the_built_ins_are_the_three_briefs_in_both_languages() -> None:
    assert BUILT_IN == [
        "linkedin_post_en",
        "linkedin_post_nb",
        "partner_spotlight_en",
        "partner_spotlight_nb",
        "tiktok_partner_en",
        "tiktok_partner_nb",
    ]
    infos = {t.name: t for t in list_templates()}
    assert {n: (infos[n].language, infos[n].platform) for n in BUILT_IN} == {
        "linkedin_post_en": ("en", "linkedin"),
        "linkedin_post_nb": ("nb", "linkedin"),
        "partner_spotlight_en": ("en", "tiktok"),
        "partner_spotlight_nb": ("nb", "tiktok"),
        "tiktok_partner_en": ("en", "tiktok"),
        "tiktok_partner_nb": ("nb", "tiktok"),
    }
    assert infos["partner_spotlight_nb"].title == "Bak partner-logoen"
    assert all(t.description and t.origin == "built-in" for t in infos.values())


@pytest.fixture
def partner_with_campaign(workspace_dir: Path, runner: CliRunner) -> Path:
    result = run(
        runner,
        "partner",
        "add",
        "Equinor",
        "--tier",
        "large",
        "--contact-name",
        "Kari Nordmann",
        "--contact-email",
        "kari@example.no",
    )
    assert result.exit_code == 0, result.output
    add_campaign(
        workspace_dir,
        "Realfag høst 2030",
        "Equinor",
        ["realfag", "#ingeniør"],
        "Vi viser hva realfag kan bli til.",
    )
    return workspace_dir


@pytest.mark.parametrize("template", BUILT_IN)
@pytest.mark.parametrize("fmt", ["md", "html"])
def test_every_built_in_renders_with_partner_campaign_and_deadline(
    partner_with_campaign: Path, runner: CliRunner, template: str, fmt: str
) -> None:
    result = run(
        runner,
        "brief",
        "new",
        "--partner",
        "Equinor",
        "--template",
        template,
        "--campaign",
        "Realfag høst 2030",
        "--deadline",
        "2030-10-04",
        "--format",
        fmt,
        "--var",
        "extra_hashtags=#havvind, lærling",
    )
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "Equinor" in text and "Realfag høst 2030" in text
    assert "#realfag" in text and "#ingeniør" in text and "#havvind" in text and "#lærling" in text
    nb = template.endswith("_nb")
    assert ("fredag 4. oktober 2030" if nb else "Friday 4 October 2030") in text
    assert ("1. sep. 2030 – 30. nov. 2030" if nb else "1 Sept 2030 – 30 Nov 2030") in text
    assert "Annonse for Equinor" in text
    assert "markedsføringsloven" in text and "§ 3" in text
    if fmt == "html":
        assert text.startswith("<!DOCTYPE html>")
        assert f'<html lang="{"nb" if nb else "en"}">' in text
        assert "<h2>" in text and "<li>" in text
        # Self-contained: nothing is fetched from outside.
        assert not re.search(r'(src|href)="(https?:)?//', text)
    else:
        assert text.startswith("# ")
        assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize("template", ["tiktok_partner_nb", "tiktok_partner_en"])
def test_the_tiktok_brief_states_format_audience_and_the_branded_content_setting(
    partner_with_campaign: Path, runner: CliRunner, template: str
) -> None:
    text = run(
        runner,
        "brief",
        "new",
        "--partner",
        "Equinor",
        "--template",
        template,
        "--deadline",
        "2030-10-04",
        "--var",
        "role_model=Ola, lærling i automasjon",
        "--var",
        "delivery=WeTransfer til kari@example.no",
    ).stdout
    for needle in ("9:16", "20–60", "16–19", "Branded content", "Content disclosure", "§ 20"):
        assert needle in text, needle
    assert "Ola, lærling i automasjon" in text
    assert "WeTransfer til kari@example.no" in text
    if template.endswith("_nb"):
        for needle in (
            "ekte heller enn polert",
            "to første sekundene",
            "Teksting",
            "Gjør dette",
            "Unngå dette",
            "Forbrukertilsynets veiledning",
            "Betalt partnerskap",
            "## Rollemodell",
            "## Frist og levering",
            "## Emneknagger",
        ):
            assert needle in text, needle
    else:
        for needle in ("authentic rather than polished", "first two seconds", "Subtitles", "## Do"):
            assert needle in text, needle


def test_without_a_campaign_the_brief_falls_back_to_standard_hashtags(
    partner_with_campaign: Path, runner: CliRunner
) -> None:
    text = run(
        runner,
        "brief",
        "new",
        "--partner",
        "Equinor",
        "--template",
        "tiktok_partner_nb",
        "--deadline",
        "2030-10-04",
    ).stdout
    assert "Kampanje:" not in text
    assert "#utdanning #realfag #jobb" in text


def test_the_communications_lead_signs_the_brief(
    partner_with_campaign: Path, runner: CliRunner
) -> None:
    from tests.brief_support import db

    database = db(partner_with_campaign)
    with database.atomic():
        database.execute(
            "INSERT INTO team_members (name, role, email, created_at) VALUES "
            "('Kari Komm', 'communications', 'komm@example.no', '2030-01-01T00:00:00Z')"
        )
    text = run(
        runner,
        "brief",
        "new",
        "--partner",
        "Equinor",
        "--template",
        "linkedin_post_nb",
        "--deadline",
        "2030-10-04",
    ).stdout
    assert "Kontakt Kari Komm på komm@example.no." in text
