"""What each reported number is, in Norwegian and English (the definitions sections).

The general text is fixed here; what differs per platform (what "views" counts
there, which metric is a link click, whose own engagement rate counts clicks) is
composed from the platform registry, so a new platform brings its own sentence.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from core import registry
from core.registry import Platform
from social.reports import measures

# The definitions that say nothing per platform: (Norwegian, English).
TEXT: dict[str, tuple[str, str]] = {
    "reach": (
        "Antall unike personer (kontoer) som så innholdet. Vi bruker plattformens eget tall for "
        "hele perioden der det finnes (for en annonsekampanje: hele kampanjen; for et innlegg: "
        "hele levetiden). Tall for flere annonsekampanjer, innlegg eller plattformer, og organisk "
        "pluss sponset, er lagt sammen og merket slik, fordi samme person kan være telt flere "
        "ganger. En sum av daglige tall er en øvre grense.",
        "Unique people (accounts) who saw the content. We use the platform's own figure for the "
        "whole period where there is one (for an ad campaign: its whole flight; for a post: its "
        "lifetime). Figures for several ad campaigns, posts or platforms, and organic plus "
        "sponsored, are added up and labelled so, because the same person may be counted more "
        "than once. A sum of daily figures is an upper bound.",
    ),
    "impressions": (
        "Antall ganger innhold eller annonser ble vist på skjermen.",
        "Times content or ads were shown on screen.",
    ),
    "clicks": (
        "Klikk på innholdet eller annonsene, slik plattformen teller dem.",
        "Clicks on the content or ads, as the platform counts them.",
    ),
    "ctr": (
        "Klikkrate: klikk delt på visninger av samme slag (annonsevisninger for sponset).",
        "Click-through rate: clicks divided by impressions of the same kind (ad impressions for "
        "sponsored).",
    ),
    "follower_gain": (
        "Nye følgere. Organisk er hele kontoens økning i kampanjeperioden (den kan ikke knyttes "
        "til én kampanje); sponset er følgere fra kampanjens annonser.",
        "New followers. Organic is the whole account's gain during the campaign (it cannot be "
        "tied to one campaign); sponsored is follows from the campaign's ads.",
    ),
    "spend": (
        "Annonsekostnad i annonsekontoens valuta, fra plattformenes annonsestatistikk.",
        "Ad spend in the ad account's currency, from the platforms' ad statistics.",
    ),
    "cpm": (
        "Kostnad per 1000 annonsevisninger: kostnad / annonsevisninger × 1000.",
        "Cost per 1,000 ad impressions: spend / impressions × 1,000.",
    ),
    "cost_per_click": ("Kostnad delt på klikk.", "Spend divided by clicks."),
    "cost_per_1000_reached": (
        "Kostnad per 1000 personer nådd: kostnad / rekkevidde × 1000, med rekkevidden slik den "
        "er beskrevet over (en sum over kampanjer gir et lavere tall enn det egentlige).",
        "Cost per 1,000 people reached: spend / reach × 1,000, with reach as described above (a "
        "sum across campaigns makes it lower than the true figure).",
    ),
    "cost_per_result": (
        "Kostnad delt på resultater. Resultatet følger annonsekampanjens mål: visninger for "
        "videovisninger, følgere for følgere/engasjement, lenkeklikk for trafikk, ellers klikk.",
        "Spend divided by results. The result follows the ad campaign's objective: views for "
        "video views, follows for followers/engagement, link clicks for traffic, else clicks.",
    ),
}


def _pick(lang: str, nb: str, en: str) -> str:
    return nb if lang == "nb" else en


def _listing(names: Sequence[str], lang: str) -> str:
    """'A', 'A og B', 'A, B og C' (English: 'and')."""
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} {_pick(lang, 'og', 'and')} {names[-1]}"


def _verb(names: Sequence[str], lang: str, nb: str, singular: str, plural: str) -> str:
    """The verb agreeing with a list of names (Norwegian verbs do not change)."""
    return _pick(lang, nb, singular if len(names) == 1 else plural)


def _names_where(test: Callable[[Platform], bool]) -> list[str]:
    return [p.display_name for p in registry.platforms() if test(p)]


def _headline_concepts() -> str:
    """' (LinkedIn: impressions)' for the platforms whose headline is not plain views."""
    other = [
        f"{p.display_name}: {p.views.concept}"
        for p in registry.platforms()
        if p.views.concept != "views"
    ]
    return f" ({'; '.join(other)})" if other else ""


def _views(lang: str) -> str:
    """Views: which platforms count what, whose ads stand in impressions, whose counters hold ads."""
    plain = _names_where(lambda p: not p.views.definition)
    counts = _verb(plain, lang, "teller visninger", "counts views", "count views")
    counted = [f"{_listing(plain, lang)} {counts}"] if plain else []
    counted += [
        p.views.definition.get(lang) or p.views.definition.get("en", "")
        for p in registry.platforms()
        if p.views.definition
    ]
    # Ads that report impressions where the posts report views (Views.paid_fallback).
    stand_in = _names_where(lambda p: "impressions" in p.views.paid_fallback.get("views", ()))
    fallback = ""
    if stand_in:
        ad_counts = _verb(
            stand_in,
            lang,
            "teller en visning av en annonse som en annonsevisning",
            "counts a view of an ad as an ad impression",
            "count a view of an ad as an ad impression",
        )
        fallback = f" ({_listing(stand_in, lang)} {ad_counts})"
    holders = _names_where(lambda p: p.views.counter_holds_ad_views)
    inside = f" ({_listing(holders, lang)})" if holders else ""
    if lang == "nb":
        return (
            "Antall ganger innholdet ble vist. "
            + (f"{'; '.join(counted)}. " if counted else "")
            + "Totalt = organisk + sponset. Organisk er kontoens dagstall der plattformen gir "
            "dem, ellers økningen i innleggenes tellere i perioden. Sponset kommer fra "
            f"annonsestatistikken{fallback}. En Spark Ad eller et fremhevet innlegg er koblet "
            "til innlegget sitt: der innleggets teller alt inneholder annonsens visninger"
            f"{inside}, vises de som sponset og trekkes fra organisk, så hver visning telles én "
            "gang. Visninger av annonser som ikke er egne innlegg (mørke annonser) telles med i "
            "totalen. Tall i hele visninger."
        )
    return (
        "Times the content was shown. "
        + (f"{'; '.join(counted)}. " if counted else "")
        + "Total = organic + sponsored. Organic is the account's daily figure where the "
        "platform gives one, else the growth of the posts' counters in the period. Sponsored "
        f"comes from the ad statistics{fallback}. A Spark Ad or boosted post is linked to its "
        f"post: where the post's counter already holds the ad's views{inside}, they are shown "
        "as sponsored and taken out of organic, so each view counts once. Views of ads that are "
        "not posts of their own (dark posts) count in the total. In whole views."
    )


def _link_clicks(lang: str) -> str:
    # The ad statistics' link-click metric of each platform that has one, by name.
    named = sorted(
        (p.display_name, metrics[0])
        for p in registry.platforms()
        if (metrics := measures.ad_metric_names("link_clicks", p.name))
    )
    which = f" ({'; '.join(f'{name}: {metric}' for name, metric in named)})" if named else ""
    return _pick(lang, "Klikk videre til nettsiden", "Clicks through to the website") + which + "."


def _genitive(name: str, lang: str) -> str:
    if lang == "nb":
        return name + ("'" if name[-1:].lower() in "sxz" else "s")
    return name + "'s"


def _engagement_rate(lang: str) -> str:
    own = _names_where(lambda p: p.own_rate_counts_clicks)
    owners = _listing([_genitive(n, lang) for n in own], lang)
    lower = _pick(
        lang,
        f", så tallet er lavere enn {owners} egen rate",
        f", so it is lower than {owners} own rate",
    )
    return _pick(
        lang,
        "Engasjementsrate: likerklikk/reaksjoner, kommentarer og delinger delt på visninger",
        "Engagement rate: likes/reactions, comments and shares divided by views",
    ) + (
        f"{_headline_concepts()}. "
        + _pick(lang, "Klikk er ikke med", "Clicks are not included")
        + (lower if own else "")
        + "."
    )


def _partner_views(lang: str) -> str:
    return _pick(
        lang,
        "Visninger er hvert innleggs eget tall fra publisering til datoen over",
        "Views are each post's own count from publication to the date above",
    ) + (
        f"{_headline_concepts()}. "
        + _pick(
            lang,
            "Visninger per måned er økningen i innleggenes tellere den måneden.",
            "Views by month are the growth of the posts' counters in that month.",
        )
    )


# The definitions composed per platform from the registry.
COMPOSED: dict[str, Callable[[str], str]] = {
    "views": _views,
    "link_clicks": _link_clicks,
    "engagement_rate": _engagement_rate,
    "partner_views": _partner_views,
}


def text(key: str, lang: str) -> str:
    """What the reported number `key` is, in the language (nb, else English)."""
    if key in COMPOSED:
        return COMPOSED[key](lang)
    nb, en = TEXT[key]
    return _pick(lang, nb, en)
