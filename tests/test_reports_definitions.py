"""The definitions' per-platform sentences, composed from the registry, read as written."""

from __future__ import annotations

import pytest

from core import registry
from social.reports.definitions import text

# The texts as they read for TikTok, LinkedIn and Facebook before they were composed.
WRITTEN: dict[str, tuple[str, str]] = {
    "views": (
        "Antall ganger innholdet ble vist. TikTok og Facebook teller visninger; LinkedIn teller visninger i feeden (impressions), som står i samme rad. Totalt = organisk + sponset. Organisk er kontoens dagstall der plattformen gir dem, ellers økningen i innleggenes tellere i perioden. Sponset kommer fra annonsestatistikken (Facebook teller en visning av en annonse som en annonsevisning). En Spark Ad eller et fremhevet innlegg er koblet til innlegget sitt: der innleggets teller alt inneholder annonsens visninger (TikTok), vises de som sponset og trekkes fra organisk, så hver visning telles én gang. Visninger av annonser som ikke er egne innlegg (mørke annonser) telles med i totalen. Tall i hele visninger.",
        "Times the content was shown. TikTok and Facebook count views; LinkedIn counts feed impressions, shown in the same row. Total = organic + sponsored. Organic is the account's daily figure where the platform gives one, else the growth of the posts' counters in the period. Sponsored comes from the ad statistics (Facebook counts a view of an ad as an ad impression). A Spark Ad or boosted post is linked to its post: where the post's counter already holds the ad's views (TikTok), they are shown as sponsored and taken out of organic, so each view counts once. Views of ads that are not posts of their own (dark posts) count in the total. In whole views.",
    ),
    "link_clicks": (
        "Klikk videre til nettsiden (Facebook: link_click; LinkedIn: landingPageClicks).",
        "Clicks through to the website (Facebook: link_click; LinkedIn: landingPageClicks).",
    ),
    "engagement_rate": (
        "Engasjementsrate: likerklikk/reaksjoner, kommentarer og delinger delt på visninger (LinkedIn: impressions). Klikk er ikke med, så tallet er lavere enn LinkedIns egen rate.",
        "Engagement rate: likes/reactions, comments and shares divided by views (LinkedIn: impressions). Clicks are not included, so it is lower than LinkedIn's own rate.",
    ),
    "partner_views": (
        "Visninger er hvert innleggs eget tall fra publisering til datoen over (LinkedIn: impressions). Visninger per måned er økningen i innleggenes tellere den måneden.",
        "Views are each post's own count from publication to the date above (LinkedIn: impressions). Views by month are the growth of the posts' counters in that month.",
    ),
}


THREE = ("tiktok", "linkedin", "facebook")


@pytest.mark.parametrize("key", sorted(WRITTEN))
def test_composed_definitions_read_as_written_for_the_three_platforms(
    key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Only the three platforms the texts were written for (others bring their own sentences).
    three = tuple(p for p in registry.platforms() if p.name in THREE)
    assert [p.name for p in three] == list(THREE)
    monkeypatch.setattr(registry, "platforms", lambda: three)
    nb, en = WRITTEN[key]
    assert text(key, "nb") == nb
    assert text(key, "en") == en
