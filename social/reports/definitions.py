"""What each reported number is, in Norwegian and English (the definitions sections)."""

from __future__ import annotations

TEXT: dict[str, tuple[str, str]] = {
    "views": (
        "Antall ganger innholdet ble vist. TikTok og Facebook teller visninger; LinkedIn teller "
        "visninger i feeden (impressions), som står i samme rad. Totalt = organisk + sponset. "
        "Organisk er kontoens dagstall der plattformen gir dem, ellers økningen i innleggenes "
        "tellere i perioden. Sponset kommer fra annonsestatistikken (Facebook teller en visning "
        "av en annonse som en annonsevisning). En Spark Ad eller et fremhevet innlegg er koblet "
        "til innlegget sitt: der innleggets teller alt inneholder annonsens visninger (TikTok), "
        "vises de som sponset og trekkes fra organisk, så hver visning telles én gang. Visninger "
        "av annonser som ikke er egne innlegg (mørke annonser) telles med i totalen. Tall i hele "
        "visninger.",
        "Times the content was shown. TikTok and Facebook count views; LinkedIn counts feed "
        "impressions, shown in the same row. Total = organic + sponsored. Organic is the "
        "account's daily figure where the platform gives one, else the growth of the posts' "
        "counters in the period. Sponsored comes from the ad statistics (Facebook counts a view "
        "of an ad as an ad impression). A Spark Ad or boosted post is linked to its post: where "
        "the post's counter already holds the ad's views (TikTok), they are shown as sponsored "
        "and taken out of organic, so each view counts once. Views of ads that are not posts of "
        "their own (dark posts) count in the total. In whole views.",
    ),
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
    "link_clicks": (
        "Klikk videre til nettsiden (Facebook: link_click; LinkedIn: landingPageClicks).",
        "Clicks through to the website (Facebook: link_click; LinkedIn: landingPageClicks).",
    ),
    "ctr": (
        "Klikkrate: klikk delt på visninger av samme slag (annonsevisninger for sponset).",
        "Click-through rate: clicks divided by impressions of the same kind (ad impressions for "
        "sponsored).",
    ),
    "engagement_rate": (
        "Engasjementsrate: likerklikk/reaksjoner, kommentarer og delinger delt på visninger "
        "(LinkedIn: impressions). Klikk er ikke med, så tallet er lavere enn LinkedIns egen rate.",
        "Engagement rate: likes/reactions, comments and shares divided by views (LinkedIn: "
        "impressions). Clicks are not included, so it is lower than LinkedIn's own rate.",
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
    "partner_views": (
        "Visninger er hvert innleggs eget tall fra publisering til datoen over (LinkedIn: "
        "impressions). Visninger per måned er økningen i innleggenes tellere den måneden.",
        "Views are each post's own count from publication to the date above (LinkedIn: "
        "impressions). Views by month are the growth of the posts' counters in that month.",
    ),
}
