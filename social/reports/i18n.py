"""Report texts in Norwegian bokmål (default) and English."""

from __future__ import annotations

from typing import Any

from core import registry

# key -> (nb, en); str.format fields in braces.
TEXTS: dict[str, tuple[str, str]] = {
    # titles and sections
    "weekly_title": ("Ukerapport {week}", "Weekly report, {week}"),
    "campaign_title": ("Kampanjerapport: {name}", "Campaign report: {name}"),
    "partner_title": ("Partnerrapport {year}: {name}", "Partner report {year}: {name}"),
    "generated": ("Laget {when}", "Generated {when}"),
    "period": ("Periode", "Period"),
    "section_overview": ("Oversikt", "Overview"),
    "section_platforms": ("Per plattform", "By platform"),
    "section_change": ("Endring fra forrige uke", "Change from the week before"),
    "section_top_posts": ("Mest sette innlegg denne uken", "Top posts this week"),
    "section_adherence": (
        "Innholdskalender: planlagt mot publisert",
        "Content calendar: planned against published",
    ),
    "section_freshness": ("Dataenes ferskhet", "Data freshness"),
    "section_what_worked": ("Hva fungerte denne uken", "What worked this week"),
    "what_worked_intro": (
        "Innlegg som ble {days} dager gamle denne uken, sammenlignet med kontoens vanlige nivå "
        "ved samme alder.",
        "Posts that turned {days} days old this week, compared with the account's usual level "
        "at the same age.",
    ),
    "what_worked_pattern": (
        "De siste {days} dagene har «{theme}» typisk gjort det {ratio}x så bra som vanlig "
        "(95 % usikkerhetsintervall {interval}, hele intervallet over 1x, {posts} innlegg).",
        "Over the last {days} days, “{theme}” has typically done {ratio}x as well as usual "
        "(95% interval {interval}, all of it above 1x, {posts} posts).",
    ),
    "measured_late": ("målt sent, øvre grense", "measured late, an upper bound"),
    "what_worked_none": (
        "Ingen innlegg ble {days} dager gamle denne uken.",
        "No posts turned {days} days old this week.",
    ),
    "times_usual": ("x vanlig", "x usual"),
    "section_notes": ("Merknader", "Notes"),
    "section_revised": ("Endret siden sist rapportert", "Revised since last reported"),
    "section_kpis": ("Mål og resultater", "Targets and results"),
    "section_organic_paid": (
        "Organisk og sponset per plattform",
        "Organic and sponsored by platform",
    ),
    "section_progress": ("Utvikling mot målet", "Progress against the target"),
    "section_top_content": ("Innholdet som gjorde det best", "Top content"),
    "section_summary": ("Sammendrag", "Summary"),
    "section_definitions": ("Definisjoner", "Definitions"),
    "section_content": (
        "Innhold laget med eller for partneren",
        "Content made with or for the partner",
    ),
    "section_campaigns": ("Kampanjer", "Campaigns"),
    "section_ad_campaigns": ("Annonsekampanjer", "Ad campaigns"),
    "flight": ("Periode (annonsekampanjen)", "Flight"),
    "open_ended": ("uten sluttdato", "open-ended"),
    "section_briefs": ("Briefer", "Briefs"),
    "section_monthly": ("Visninger per måned", "Views by month"),
    "section_method": ("Om tallene", "About the numbers"),
    "section_charts": ("Grafer", "Charts"),
    # columns and figures
    "platform": ("Plattform", "Platform"),
    "total": ("Totalt", "Total"),
    "organic": ("Organisk", "Organic"),
    "paid": ("Sponset", "Sponsored"),
    "followers": ("Følgere", "Followers"),
    "followers_end": ("Følgere (slutten av uken)", "Followers (end of week)"),
    "followers_change": ("Endring i følgere", "Change in followers"),
    "posts": ("Innlegg", "Posts"),
    "posts_published": ("Innlegg publisert", "Posts published"),
    "views": ("Visninger", "Views"),
    "views_organic": ("Visninger, organisk", "Views, organic"),
    "views_paid": ("Visninger, sponset", "Views, sponsored"),
    "views_total": ("Visninger, totalt", "Views, total"),
    "of_which_paid": ("Herav sponset", "Of which sponsored"),
    "estimated": ("delvis anslått", "partly estimated"),
    "views_other_note": (
        "Totalen inneholder {views} sponsede visninger av annonser som ikke er egne innlegg (mørke annonser) i partnerens kampanjer.",
        "The total holds {views} sponsored views of ads that are not posts of their own (dark posts) in the partner's campaigns.",
    ),
    "reach": ("Rekkevidde", "Reach"),
    "reach_content": ("Rekkevidde (innhold)", "Reach (content)"),
    "reach_paid": ("Rekkevidde (annonser)", "Reach (ads)"),
    "engagements": ("Engasjement", "Engagements"),
    "engagements_total": ("Engasjement, totalt", "Engagements, total"),
    "engagement_rate": ("Engasjementsrate", "Engagement rate"),
    "engagement_rate_total": ("Engasjementsrate, totalt", "Engagement rate, total"),
    "spend": ("Kostnad", "Spend"),
    "impressions": ("Annonsevisninger", "Impressions"),
    "clicks": ("Klikk", "Clicks"),
    "link_clicks": ("Lenkeklikk", "Link clicks"),
    "ctr": ("Klikkrate", "CTR"),
    "cpm": ("CPM (per 1000 annonsevisninger)", "CPM (per 1,000 ad impressions)"),
    "cpc": ("CPC (per klikk)", "CPC (per click)"),
    "cost_per_1000_reached": ("Kostnad per 1000 nådd", "Cost per 1,000 reached"),
    "follower_gain": ("Nye følgere", "Followers gained"),
    "cost_per_click": ("Kostnad per klikk", "Cost per click"),
    "cost_per_result": ("Kostnad per resultat", "Cost per result"),
    "this_week": ("Denne uken", "This week"),
    "previous_week": ("Forrige uke", "Previous week"),
    "change": ("Endring", "Change"),
    "rank": ("#", "#"),
    "published": ("Publisert", "Published"),
    "caption": ("Tekst", "Caption"),
    "views_gained": ("Visninger i uken", "Views in the week"),
    "views_to_date": ("Visninger totalt", "Views to date"),
    "member": ("Person", "Person"),
    "no_owner": ("(uten ansvarlig)", "(no owner)"),
    "planned": ("Planlagt", "Planned"),
    "published_slots": ("Publisert", "Published"),
    "adherence_rate": ("Andel publisert", "Share published"),
    "last_ok": ("Siste vellykkede synkronisering", "Last successful sync"),
    "status": ("Status", "Status"),
    "figure": ("Tall", "Figure"),
    "reported": ("Rapportert", "Reported"),
    "now": ("Nå", "Now"),
    "kpi": ("Mål", "KPI"),
    "scope": ("Gjelder", "Scope"),
    "target": ("Mål", "Target"),
    "actual": ("Resultat", "Actual"),
    "attainment": ("Oppnådd", "Attained"),
    "pacing": ("Tempo", "Pacing"),
    "projection": ("Anslag ved slutt", "Projected at end"),
    "expected_to_date": ("Forventet hittil", "Expected to date"),
    "on_track": ("i rute", "on track"),
    "behind": ("bak skjema", "behind"),
    "under_pace": ("bruker mindre enn planlagt", "spending below plan"),
    "over_pace": ("bruker mer enn planlagt", "spending above plan"),
    "on_pace": ("bruker som planlagt", "spending to plan"),
    "ended": ("avsluttet", "ended"),
    "not_started": ("ikke startet", "not started"),
    "running": ("pågår", "running"),
    "status_planned": ("planlagt", "planned"),
    "all_platforms": ("alle plattformer", "all platforms"),
    "origin_organic": ("organisk", "organic"),
    "origin_paid": ("sponset", "sponsored"),
    "origin_total": ("totalt", "total"),
    "budget": ("Budsjett", "Budget"),
    "deadline": ("Frist", "Deadline"),
    "title": ("Tittel", "Title"),
    "template": ("Mal", "Template"),
    "name": ("Navn", "Name"),
    "month": ("Måned", "Month"),
    "cumulative": ("Akkumulert", "Cumulative"),
    "target_line": ("Mållinje", "Target line"),
    "day_of": ("dag {elapsed} av {duration}", "day {elapsed} of {duration}"),
    "as_of": ("per {date}", "as of {date}"),
    "no_data": ("ingen data", "no data"),
    "reach_coverage": ("for {n} av {total} innlegg", "for {n} of {total} posts"),
    "brief_draft": ("utkast", "draft"),
    "brief_sent": ("sendt", "sent"),
    "brief_content_received": ("innhold mottatt", "content received"),
    "brief_published": ("publisert", "published"),
    "no_posts": ("Ingen innlegg økte i uken.", "No post gained views this week."),
    "no_slots": (
        "Ingen planlagte innlegg i kalenderen denne uken.",
        "Nothing was planned in the calendar this week.",
    ),
    "no_revisions": (
        "Ingen tall for {week} er endret siden de ble rapportert.",
        "No figures for {week} changed since they were reported.",
    ),
    "revised_intro": (
        "Tall for {week} som har endret seg siden rapporten {when} (plattformene etterregistrerer data):",
        "Figures for {week} that changed since the report of {when} (platforms update data late):",
    ),
    "no_previous_report": (
        "Ingen lagret rapport for {week} å sammenligne med.",
        "No stored report for {week} to compare with.",
    ),
    "nothing_here": ("Ingen.", "None."),
    "freshness_ok": ("oppdatert", "up to date"),
    "freshness_stale": ("gammel", "stale"),
    "freshness_missing": ("aldri synkronisert", "never synced"),
    "freshness_not_configured": ("ikke i bruk", "not in use"),
    "hours_ago": ("for {hours} timer siden", "{hours} hours ago"),
    "days_ago": ("for {days} dager siden", "{days} days ago"),
    # reach methods (rule 1: a sum of unique counts always says so)
    "method_platform_day": ("plattformens tall for dagen", "the platform's figure for the day"),
    "method_platform_week": (
        "plattformens tall for hele uken",
        "the platform's figure for the whole week",
    ),
    "method_platform_campaign": (
        "plattformens tall for hele annonsekampanjen",
        "the platform's figure for the whole ad campaign",
    ),
    "method_platform_lifetime": (
        "plattformens tall for innleggets levetid",
        "the platform's figure for the post's lifetime",
    ),
    "method_sum_of_daily": (
        "sum av daglig rekkevidde, øvre grense",
        "sum of daily reach, upper bound",
    ),
    "method_sum_across_campaigns": (
        "sum over kampanjer; samme person kan telles flere ganger",
        "sum across campaigns; people may be counted more than once",
    ),
    "method_sum_across_posts": (
        "sum over innlegg; samme person kan telles flere ganger",
        "sum across posts; people may be counted more than once",
    ),
    "method_sum_across_accounts": (
        "sum over kontoer; samme person kan telles flere ganger",
        "sum across accounts; people may be counted more than once",
    ),
    "method_sum_across_platforms": (
        "sum over plattformer; samme person kan telles flere ganger",
        "sum across platforms, people may be counted more than once",
    ),
    "method_sum_of_windows": (
        "sum av perioder plattformen teller hver for seg; samme person kan telles flere ganger",
        "sum of periods the platform counts separately; people may be counted more than once",
    ),
    "method_sum_organic_paid": (
        "organisk og sponset lagt sammen; samme person kan telles to ganger",
        "organic and sponsored added; people may be counted twice",
    ),
    # sources
    "basis_account_day": ("kontoens dagstall", "the account's daily figures"),
    "basis_post_snapshots": ("økningen i innleggenes tellere", "growth of the posts' counters"),
    "basis_ads_day": ("annonsestatistikken", "the ad statistics"),
    "basis_organic+paid": ("organisk + sponset", "organic + sponsored"),
    "basis_paid": ("bare sponset", "sponsored only"),
    "note_paid_views_inside_post_counters": (
        "{platform}: innleggenes egne tellere inneholder også visningene fra annonsene som fremhever dem (Spark Ads/fremhevede innlegg). De er vist som sponset og trukket fra organisk, så hver visning telles én gang.",
        "{platform}: the posts' own counters also hold the views from the ads that promote them (Spark Ads/boosted posts). Those are shown as sponsored and taken out of organic, so each view counts once.",
    ),
    "note_dark_ad_views_in_total": (
        "{platform}: visninger av annonser som ikke er egne innlegg (mørke annonser) er sponsede visninger og telles med i totalen.",
        "{platform}: views of ads that are not posts of their own (dark posts) are sponsored views and count in the total.",
    ),
    "note_total_not_split": (
        "{platform}: plattformen skiller ikke organisk og sponset for dette tallet; bare totalen vises.",
        "{platform}: the platform does not split this figure into organic and sponsored; only the total is shown.",
    ),
    # warnings
    "warn_no_data_week": (
        "Ingen data for {week}; kjør 'social sync' først.",
        "No data for {week}; run 'social sync' first.",
    ),
    "warn_no_data_platform": (
        "{platform}: ingen data for denne uken.",
        "{platform}: no data for this week.",
    ),
    "warn_stale": (
        "{platform}: siste vellykkede synkronisering var {when}; tallene kan være ufullstendige.",
        "{platform}: the last successful sync was {when}; figures may be incomplete.",
    ),
    "warn_never_synced": (
        "{platform}: aldri synkronisert; kjør 'social sync {platform_id}'.",
        "{platform}: never synced; run 'social sync {platform_id}'.",
    ),
    "warn_last_run_failed": (
        "{platform}: siste synkronisering endte med «{outcome}».",
        "{platform}: the last sync ended as '{outcome}'.",
    ),
    "warn_synced_before_end": (
        "{platform}: siste vellykkede synkronisering var før perioden sluttet; de siste dagene mangler.",
        "{platform}: the last successful sync was before the period ended; its last days are missing.",
    ),
    "warn_partial_days": (
        "{platform}: dagstall for bare {days} av {total} dager.",
        "{platform}: daily figures for only {days} of {total} days.",
    ),
    "warn_first_seen": (
        "{platform}: {count} innlegg ble målt første gang i perioden; visningene før første måling er anslått jevnt fordelt fra publisering.",
        "{platform}: {count} posts were first measured in the period; their views before the first measurement are estimated as spread evenly from publication.",
    ),
    "warn_week_incomplete": (
        "{week} er ikke over ennå; tallene er foreløpige.",
        "{week} has not ended yet; the figures are provisional.",
    ),
    "warn_followers_stale": (
        "{platform}: følgertallet er fra {date}.",
        "{platform}: the follower count is from {date}.",
    ),
    "warn_reach_window_clipped": (
        "{platform}: rekkevidden for «{name}» er plattformens tall fra {start}; annonsekampanjen startet {flight}, og plattformen gir ikke lenger tall for dagene før.",
        "{platform}: the reach of “{name}” is the platform's figure from {start}; the ad campaign started on {flight}, and the platform no longer gives figures for the days before.",
    ),
    "warn_reach_upper_bound": (
        "Rekkevidde merket «sum av daglig rekkevidde, øvre grense» er summen av daglige unike tall; samme person telles en gang per dag hun ser innholdet.",
        "Reach marked 'upper bound' is the sum of daily unique counts; a person is counted once per day.",
    ),
    "warn_no_campaign_members": (
        "Kampanjen har ingen innlegg, emneknagger eller annonsekampanjer knyttet til seg; legg dem til med 'social campaign'.",
        "The campaign has no posts, hashtags or ad campaigns attached; add them with 'social campaign'.",
    ),
    "warn_no_targets": ("Kampanjen har ingen mål.", "The campaign has no KPI targets."),
    "warn_missing_ad_campaign": (
        "Annonsekampanje {id} ({platform}) finnes ikke i databasen ennå; kjør 'social sync'.",
        "Ad campaign {id} ({platform}) is not in the database yet; run 'social sync'.",
    ),
    "warn_partner_first_seen": (
        "{count} innlegg ble målt første gang etter at de var publisert; visningene før første måling er anslått jevnt fordelt fra publisering.",
        "{count} posts were first measured after they were published; their views before the first measurement are estimated as spread evenly from publication.",
    ),
    "warn_monthly_estimated": (
        "Noen innlegg ble målt første gang en stund etter at de ble publisert; hvordan visningene deres fordeler seg på månedene før første måling, er anslått jevnt fordelt.",
        "Some posts were first measured a while after they were published; how their views spread over the months before that first measurement is estimated as even.",
    ),
    "warn_paid_exceeds_counter": (
        "{platform}: annonsestatistikken viser flere sponsede visninger av et fremhevet innlegg enn innleggets egen teller økte med (tallene hentes til ulike tider). Organisk er satt til 0 der, og totalen er de sponsede visningene, så totalen aldri blir lavere enn en del av den.",
        "{platform}: the ad statistics show more sponsored views of a boosted post than the post's own counter grew by (the figures are collected at different times). Organic is set to 0 there, and the total is the sponsored views, so a total is never below one of its parts.",
    ),
    "warn_counter_decreased": (
        "{platform}: et innleggs teller gikk ned i perioden (plattformen fjernet ugyldige visninger); perioden regnes med 0, ikke et negativt tall.",
        "{platform}: a post's counter went down in the period (the platform removed invalid views); the period counts 0, not a negative number.",
    ),
    "warn_ads_unattributed": (
        "{platform}: en annonsekampanje har både annonser for egne innlegg og mørke annonser, uten tall per annonse; alle dens visninger er regnet som sponsede visninger utenom innleggene (de kan være telt to ganger).",
        "{platform}: an ad campaign mixes ads for our own posts and dark ads, without figures per ad; all its views are counted as sponsored views outside the posts (some may be counted twice).",
    ),
    "warn_no_partner_content": (
        "Ingen innhold er knyttet til partneren i {year}.",
        "No content is linked to the partner in {year}.",
    ),
}


def t(lang: str, key: str, **fields: Any) -> str:
    """The text for a key in the report language, with its fields filled in."""
    nb, en = TEXTS[key]
    text = nb if lang == "nb" else en
    return text.format(**fields) if fields else text


def platform_name(platform: str | None) -> str:
    return registry.display_name(platform or "")
