"""Writers of real-shaped export files for the importer tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

LINKEDIN_ORG = "2414183"
FB_PAGE = "104857600123456"

METRICS_HEADERS = [
    "Date",
    "Impressions (organic)",
    "Impressions (sponsored)",
    "Impressions (total)",
    "Unique impressions (organic)",
    "Clicks (organic)",
    "Reactions (organic)",
    "Comments (organic)",
    "Reposts (organic)",
    "Engagement rate (organic)",
]
POSTS_HEADERS = [
    "Post title",
    "Post link",
    "Post type",
    "Campaign name",
    "Posted by",
    "Created date",
    "Impressions",
    "Views",
    "Clicks",
    "Click through rate (CTR)",
    "Likes",
    "Comments",
    "Reposts",
    "Follows",
    "Engagement rate",
    "Content Type",
]


def linkedin_metrics_rows(start: date, days: int) -> list[list[Any]]:
    rows = []
    for i in range(days):
        day = start + timedelta(days=i)
        organic, sponsored = 400 + 37 * i, 120 + i
        rows.append(
            [
                day.strftime("%m/%d/%Y"),
                organic,
                sponsored,
                organic + sponsored,
                150 + i,
                12 + i,
                20 + i,
                2,
                1,
                f"{(33 + i) / organic * 100:.2f}%",
            ]
        )
    return rows


def linkedin_post_rows() -> list[list[Any]]:
    return [
        [
            "Vi søker sommerstudenter! #karriere",
            "https://www.linkedin.com/feed/update/urn:li:share:7260000000000000001",
            "Organic",
            "",
            "Kari Nordmann",
            "11/03/2025",
            1520,
            "",
            41,
            "2.70%",
            33,
            4,
            2,
            0,
            "5.2%",
            "Image",
        ],
        [
            "Ny rapport om havvind",
            "https://www.linkedin.com/feed/update/urn%3Ali%3AugcPost%3A7260000000000000002",
            "Sponsored",
            "Havvind Q4",
            "",
            "11/10/2025",
            8800,
            950,
            120,
            "1.36%",
            70,
            9,
            5,
            12,
            "2.3%",
            "Video",
        ],
    ]


def write_xlsx(path: Path, sheets: dict[str, tuple[str, list[str], list[list[Any]]]]) -> Path:
    """An XLSX with, per sheet, a title row, headers on row 2 and the rows."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, (title, headers, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.append([title])
        sheet.append(headers)
        for row in rows:
            sheet.append(row)
    book.save(path)
    return path


def linkedin_xlsx(path: Path, *, start: date = date(2025, 11, 3), days: int = 7) -> Path:
    title = "Aggregated metrics for Eksempel AS, 11/03/2025 - 11/09/2025"
    return write_xlsx(
        path,
        {
            "Metrics": (title, METRICS_HEADERS, linkedin_metrics_rows(start, days)),
            "All posts": ("All posts", POSTS_HEADERS, linkedin_post_rows()),
        },
    )


def linkedin_followers_xlsx(path: Path) -> Path:
    headers = [
        "Date",
        "Sponsored followers",
        "Organic followers",
        "Auto-invited followers",
        "Total followers",
    ]
    rows = [["11/03/2025", 2, 5, 0, 7], ["11/04/2025", 0, 3, 1, 4]]
    return write_xlsx(path, {"New followers": ("New followers", headers, rows)})


META_HEADERS = [
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Permalink",
    "Post type",
    "Custom labels",
    "Funded content status",
    "Date",
    "Views",
    "Reach",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
    "Link Clicks",
    "Seconds viewed",
]


def meta_rows() -> list[list[str]]:
    return [
        [
            "1122334455667788",
            FB_PAGE,
            "Eksempel AS",
            "",
            "Åpen dag på campus, kom innom! #studier",
            "",
            "11/24/2025 14:05",
            f"https://www.facebook.com/{FB_PAGE}/posts/1122334455667788",
            "Photos",
            "",
            "",
            "Lifetime",
            "5,210",
            "3,904",
            "87",
            "6",
            "3",
            "140",
            "22",
            "",
        ],
        [
            "1122334455667799",
            FB_PAGE,
            "Eksempel AS",
            "Bak kulissene",
            "Se hvordan vi lager reels",
            "31",
            "11/25/2025 09:30",
            "https://www.facebook.com/reel/1122334455667799",
            "Reels",
            "",
            "Boosted",
            "Lifetime",
            "12000",
            "8100",
            "230",
            "14",
            "11",
            "",
            "",
            "20400",
        ],
    ]


def csv_text(headers: Sequence[str], rows: Sequence[Sequence[Any]], *, sep_line: bool) -> str:
    buf = io.StringIO()
    if sep_line:
        buf.write("sep=,\r\n")
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return buf.getvalue()


def write_text(path: Path, text: str, encoding: str) -> Path:
    """utf-16 writes a BOM (like Meta's exports); utf-8-sig a UTF-8 BOM."""
    path.write_bytes(text.encode(encoding))
    return path


def meta_posts_csv(
    path: Path,
    *,
    encoding: str = "utf-8-sig",
    sep_line: bool = False,
    rows: list[list[str]] | None = None,
) -> Path:
    text = csv_text(META_HEADERS, meta_rows() if rows is None else rows, sep_line=sep_line)
    return write_text(path, text, encoding)


def meta_daily_csv(path: Path, *, title: str = "Views", encoding: str = "utf-16") -> Path:
    buf = io.StringIO()
    buf.write("sep=,\r\n")
    buf.write(f'"{title}"\r\n')
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(["Date", "Primary"])
    for i in range(5):
        writer.writerow([f"2025-11-{3 + i:02d}T00:00:00", str(1000 + 10 * i)])
    return write_text(path, buf.getvalue(), encoding)


TIKTOK_CONTENT_HEADERS = [
    "Video title",
    "Video link",
    "Post time",
    "Total likes",
    "Total comments",
    "Total shares",
    "Total views",
]
# the same export as other TikTok Studio versions name it
TIKTOK_CONTENT_VARIANT = [
    "Title",
    "Video URL",
    "Posted on",
    "Likes",
    "Comments",
    "Shares",
    "Video views",
]


def tiktok_content_rows() -> list[list[Any]]:
    return [
        [
            "Eksamenstips på 30 sek #matte",
            "https://www.tiktok.com/@eksempel/video/7301234567890123456",
            "2025-11-20 18:30:00",
            "220",
            "14",
            "9",
            "15400",
        ],
        [
            "Studentliv i Bergen",
            "https://www.tiktok.com/@eksempel/video/7301234567890123457",
            "2025-11-22 12:00:00",
            "48",
            "2",
            "1",
            "1850",
        ],
    ]


def tiktok_content_csv(path: Path, *, headers: list[str] | None = None) -> Path:
    text = csv_text(headers or TIKTOK_CONTENT_HEADERS, tiktok_content_rows(), sep_line=False)
    return write_text(path, text, "utf-8")


def tiktok_content_xlsx(path: Path) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Content"
    sheet.append(TIKTOK_CONTENT_VARIANT)
    for row in tiktok_content_rows():
        sheet.append(row)
    book.save(path)
    return path


def tiktok_overview_csv(path: Path) -> Path:
    headers = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]
    rows = [[f"November {3 + i}, 2025", 1200 + i, 40, 90, 7, 3] for i in range(4)]
    return write_text(path, csv_text(headers, rows, sep_line=False), "utf-8")


# --- the export shapes of PLATFORMS.md "Export files as they really are" ---------------------
# Small files written here, each reproducing one shape of the real downloads.


def studio_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """TikTok Studio: UTF-8 with BOM, every field quoted, LF, no newline after the last row."""
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return write_text(path, buf.getvalue().rstrip("\n"), "utf-8-sig")


def month_day(day: date) -> str:
    """How TikTok Studio writes a day: 'February 28' (no year, no zero)."""
    return f"{day:%B} {day.day}"


def studio_overview_rows(end: date, days: int) -> list[list[Any]]:
    """Daily rows ending on `end`; a deleted comment makes one day's Comments -1."""
    rows = []
    for i in range(days):
        day = end - timedelta(days=days - 1 - i)
        rows.append([month_day(day), str(1000 + i), str(10 + i % 3), str(40 + i), str(i % 4), "2"])
    rows[-1][4] = "-1"
    return rows


STUDIO_OVERVIEW_HEADERS = ["Date", "Video Views", "Profile Views", "Likes", "Comments", "Shares"]


def studio_overview_csv(path: Path, end: date = date(2026, 1, 3), days: int = 7) -> Path:
    return studio_csv(path, STUDIO_OVERVIEW_HEADERS, studio_overview_rows(end, days))


def studio_viewers_csv(path: Path, end: date = date(2026, 1, 3), days: int = 6) -> Path:
    rows = []
    for i in range(days):
        day = end - timedelta(days=days - 1 - i)
        if i < 2:  # the days before the account had data
            rows.append([month_day(day), "undefined", "0", "0"])
        else:
            rows.append([month_day(day), str(100 + i), str(90 + i), "10"])
    headers = ["Date", "Total Viewers", "New Viewers", "Returning Viewers"]
    return studio_csv(path, headers, rows)


def studio_followers_csv(path: Path, end: date = date(2026, 1, 3)) -> Path:
    levels = ["undefined", "undefined", "37", "152", "151", "160"]
    diffs = ["0", "0", "0", "115", "-1", "9"]
    rows = [
        [month_day(end - timedelta(days=len(levels) - 1 - i)), level, diff]
        for i, (level, diff) in enumerate(zip(levels, diffs, strict=True))
    ]
    headers = ["Date", "Followers", "Difference in followers from previous day"]
    return studio_csv(path, headers, rows)


def video_id_at(moment: datetime, low: int = 4242) -> str:
    """A TikTok video id whose top 32 bits are its upload time (as real ids are)."""
    return str((int(moment.timestamp()) << 32) | low)


STUDIO_CONTENT_HEADERS = [
    "Time",
    "Video title",
    "Video link",
    "Post time",
    "Total likes",
    "Total comments",
    "Total shares",
    "Total views",
]


def studio_content_rows(first_day: date) -> list[list[Any]]:
    """Two videos: one posted the previous year (July), one in January."""
    july = datetime(2025, 7, 16, 10, 21, 48, tzinfo=UTC)
    january = datetime(2026, 1, 2, 22, 13, 7, tzinfo=UTC)  # 23:13 on Jan 2 in Oslo
    return [
        [
            month_day(first_day),
            "Eksamenstips #matte ",
            f"https://www.tiktok.com/@stemutdanning/video/{video_id_at(july)}",
            "July 16",
            "533",
            "32",
            "16",
            "19126",
        ],
        [
            month_day(first_day),
            "",  # a video without a title
            f"https://www.tiktok.com/@stemutdanning/video/{video_id_at(january)}",
            "January 2",
            "3",
            "0",
            "0",
            "1427",
        ],
    ]


def studio_content_csv(path: Path, first_day: date = date(2026, 1, 4)) -> Path:
    return studio_csv(path, STUDIO_CONTENT_HEADERS, studio_content_rows(first_day))


def plain_csv(path: Path, headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
    """TikTok business / Meta posts: UTF-8 with BOM, quoted only where needed, LF."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(headers)
    writer.writerows(rows)
    return write_text(path, buf.getvalue(), "utf-8-sig")


BUSINESS_OVERVIEW_HEADERS = [
    "Date",
    "Video views",
    "Reached audience",
    "Profile views",
    "Likes",
    "Shares",
    "Comments",
    "Phone number clicks ",  # the real header ends with a space
    "Leads submission",
    "Net growth",
    "New followers",
    "Lost followers",
]


def business_overview_csv(path: Path) -> Path:
    rows = [
        ["2025/10/31", 715, "NAN", 25, 26, 4, 7, 0, 0, 10, 10, 0],
        ["2025/11/01", 75155, 75134, 539, 845, 244, 58, 1, 2, 100, 100, 0],
        ["2025/11/02", 2359, 2306, 51, -3, 16, 17, 0, 0, -2, 4, 6],
    ]
    text = plain_csv(path, BUSINESS_OVERVIEW_HEADERS, rows).read_text("utf-8-sig").rstrip("\n")
    return write_text(path, text, "utf-8-sig")  # no newline after the last row


def business_content_csv(path: Path) -> Path:
    headers = [
        "Video title",
        "Video link",
        "Post time",
        "Video views",
        "Likes",
        "Comments",
        "Shares",
        "Add to Favorites",
    ]
    rows = [
        [
            "Pasta, rett og slett 🍝\nHvorfor? #matte",
            "https://www.tiktok.com/@stemutdanning/video/7567452112981069079",
            "2025/10/31 18:19:10",
            172353,
            1774,
            42,
            413,
            180,
        ],
        [
            "Godt nytt år",
            "https://www.tiktok.com/@stemutdanning/video/7590060843279060246",
            "2025/12/31 16:32:37",
            3382,
            135,
            4,
            3,
            6,
        ],
    ]
    return plain_csv(path, headers, rows)


LINKEDIN_ALL_POSTS_HEADERS = [
    "Post title",
    "Post link",
    "Post type",
    "Campaign name",
    "Posted by",
    "Created date",
    "Campaign start date",
    "Campaign end date",
    "Audience",
    "Impressions",
    "Views",
    "Offsite Views",
    "Clicks",
    "Click through rate (CTR)",
    "Likes",
    "Comments",
    "Reposts",
    "Follows",
    "Engagement rate",
    "Content Type",
]
ACTIVITY = "https://www.linkedin.com/feed/update/urn:li:activity:"


def linkedin_post(
    link_id: str,
    post_type: str,
    impressions: int,
    clicks: int,
    likes: int,
    *,
    campaign: str = "",
    views: Any = "",
    content: str = "",
) -> list[Any]:
    rate = clicks / impressions if impressions else 0
    follows = "" if post_type == "Organic" else 0
    return [
        f"Innlegg {link_id}",
        f"{ACTIVITY}{link_id}",
        post_type,
        campaign,
        "Kari Nordmann",
        "11/03/2025",
        "11/04/2025" if campaign else "",
        "11/10/2025" if campaign else "",
        "All followers",
        impressions,
        views,
        "",
        clicks,
        rate,
        likes,
        1,
        0,
        follows,
        rate,
        content,
    ]


def linkedin_boosted_rows() -> list[list[Any]]:
    """An organic post; a boosted one (Organic, two campaigns, Total); one with only
    Sponsored + Total rows; a dark post (Sponsored only); an organic video with Views."""
    return [
        linkedin_post("7001", "Organic", 1520, 41, 33),
        linkedin_post("7002", "Organic", 1526, 45, 46),
        linkedin_post("7002", "Sponsored", 3398, 33, 0, campaign="Havvind A"),
        linkedin_post("7002", "Sponsored", 1801, 23, 0, campaign="Havvind B"),
        linkedin_post("7002", "Total", 6725, 101, 46),
        linkedin_post("7003", "Sponsored", 2415, 10, 0, campaign="Rekruttering"),
        linkedin_post("7003", "Total", 4688, 120, 62),
        linkedin_post("7004", "Sponsored", 900, 9, 1, campaign="Mørk"),
        linkedin_post("7005", "Organic", 640, 12, 9, views=518, content="Video"),
    ]


def linkedin_posts_xlsx(path: Path, rows: list[list[Any]] | None = None) -> Path:
    sentence = "Engagement metrics for individual posts. All dates and times are in UTC."
    metrics_sentence = "Aggregated engagement metrics. Data is delayed by up to 2 days."
    return write_xlsx(
        path,
        {
            "Metrics": (
                metrics_sentence,
                METRICS_HEADERS,
                linkedin_metrics_rows(date(2025, 11, 3), 7),
            ),
            "All posts": (
                sentence,
                LINKEDIN_ALL_POSTS_HEADERS,
                linkedin_boosted_rows() if rows is None else rows,
            ),
        },
    )


META_2025_HEADERS = [
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Caption type",
    "Permalink",
    "Is crosspost",
    "Is share",
    "Post type",
    "Languages",
    "Custom labels",
    "Funded content status",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Reactions, Comments and Shares",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
    "Views",  # Meta repeats this header in some downloads
    "Reach from Organic posts",
    "Reach from Boosted posts",
    "3-second video views",
    "3-second video views from Boosted posts",
    "3-second video views from Organic posts",
    "Seconds viewed",
    "Average Seconds viewed",
]
META_NAME = "Jan-14-2025_Apr-14-2025_1396269028466733.csv"


def meta_2025_row(post: str, when: str, views: int, reach: int) -> list[Any]:
    return [
        post,
        FB_PAGE,
        "Eksempel AS",
        "",
        "Åpen dag,\n\nkom innom!",
        0,
        when,
        "N/A",
        f"https://www.facebook.com/eksempel/posts/{post}",
        0,
        0,
        "Photos",
        "",
        "",
        "",
        "",
        "Lifetime",
        views,
        reach,
        6,
        4,
        1,
        1,
        3,
        views,
        reach,
        0,
        0,
        0,
        0,
        "",
        "",
    ]


def meta_2025_rows() -> list[list[Any]]:
    """Three posts; the last one ragged (its last four cells missing), as Meta writes some."""
    video = meta_2025_row("1122334455667700", "03/02/2025 19:53", 900, 700)
    video[11], video[27], video[28], video[29], video[30], video[31] = (
        "Reels",
        40,
        15,
        25,
        60.5,
        1.5,
    )
    video[25], video[26] = 650, 80
    ragged = meta_2025_row("1122334455667711", "04/14/2025 09:00", 12, 9)[:28]
    return [meta_2025_row("1122334455667788", "01/15/2025 01:13", 40, 15), video, ragged]


def meta_posts_2025_csv(
    folder: Path, name: str = META_NAME, rows: list[list[Any]] | None = None
) -> Path:
    return plain_csv(folder / name, META_2025_HEADERS, meta_2025_rows() if rows is None else rows)


META_2024_HEADERS = [
    "Post ID",
    "Page ID",
    "Page name",
    "Title",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Caption type",
    "Permalink",
    "Is crosspost",
    "Is share",
    "Post type",
    "Languages",
    "Custom labels",
    "Funded content status",
    "Data comment",
    "Date",
    "IMPRESSION:UNIQUE_USERS",
    "Reach",
    "Impressions",
    "Reactions, Comments and Shares",
    "Reactions",
    "Comments",
    "Shares",
    "Total clicks",
    "Negative feedback from users: Hide all",
]


def meta_posts_2024_csv(path: Path) -> Path:
    """The older export: Impressions, a raw IMPRESSION:UNIQUE_USERS column and an error row."""
    good = [
        "1142979803545328",
        FB_PAGE,
        "Eksempel AS",
        "",
        "Direkte på YouTube",
        0,
        "12/12/2023 01:12",
        "N/A",
        "https://www.facebook.com/eksempel/posts/pfbid0dFcUpveeK",
        0,
        0,
        "Photo",
        "",
        "",
        "",
        "",
        "Lifetime",
        "",
        5969,
        6970,
        309,
        236,
        9,
        64,
        142,
        2,
    ]
    error = [""] * len(META_2024_HEADERS)
    error[15] = "An error occurred while computing metadata for content with ID 933528094972880."
    error[16], error[17] = "Lifetime", 51
    return plain_csv(path, META_2024_HEADERS, [good, error])


def meta_daily_file(
    path: Path, sections: Sequence[tuple[str, Sequence[tuple[str, int]]]], variant: str = "comma"
) -> Path:
    """A Meta daily metric download with one or more titled sections.

    comma: UTF-16 with BOM, `sep=,`, everything quoted, LF, a blank line at the end.
    tab: UTF-16 with BOM, `sep=<TAB>`, nothing quoted, CRLF, the title line ending with a TAB,
         sections split by a line holding one TAB, no final newline.
    semicolon: re-saved by a spreadsheet: no BOM, no sep line, `;`, unquoted.
    """
    if variant == "tab":
        blocks = [
            f"{title}\t\r\nDate\tPrimary\r\n" + "\r\n".join(f"{d}\t{v}" for d, v in values)
            for title, values in sections
        ]
        return write_text(path, "sep=\t\r\n" + "\r\n\t\r\n".join(blocks), "utf-16")
    if variant == "semicolon":
        blocks = [
            f"{title};\nDate;Primary\n" + "\n".join(f"{d};{v}" for d, v in values)
            for title, values in sections
        ]
        return write_text(path, "\n\n".join(blocks) + "\n", "utf-8")
    blocks = [
        f'"{title}"\n"Date","Primary"\n' + "\n".join(f'"{d}","{v}"' for d, v in values)
        for title, values in sections
    ]
    return write_text(path, "sep=,\n" + "\n\n".join(blocks) + "\n\n", "utf-16")


def meta_days(first: date, values: Sequence[int], *, us_dst: bool = True) -> list[tuple[str, int]]:
    """Meta's day stamps: 'T01:00:00' flips to 'T00:00:00' on the US daylight-saving dates."""
    out = []
    for i, value in enumerate(values):
        day = first + timedelta(days=i)
        hour = "01" if us_dst and day < date(2025, 3, 10) else "00"
        out.append((f"{day.isoformat()}T{hour}:00:00", value))
    return out


IG_HEADERS = [
    "Post ID",
    "Account ID",
    "Account username",
    "Account name",
    "Description",
    "Duration (sec)",
    "Publish time",
    "Permalink",
    "Post type",
    "Data comment",
    "Date",
    "Views",
    "Reach",
    "Likes",
    "Shares",
    "Follows",
    "Comments",
    "Saves",
]


def instagram_posts_csv(folder: Path) -> Path:
    """Meta's Instagram posts export: two accounts in one file."""
    rows = [
        [
            "17974697564884257",
            "17841400882674637",
            "stemutdanning",
            "STEM",
            "Reel 1",
            58,
            "05/26/2025 10:23",
            "https://www.instagram.com/reel/DYz2HS0M2ks/",
            "IG reel",
            "",
            "Lifetime",
            4993,
            3206,
            287,
            56,
            2,
            0,
            7,
        ],
        [
            "17974697564884258",
            "17841400882674637",
            "stemutdanning",
            "STEM",
            "Bilde",
            0,
            "05/27/2025 08:00",
            "https://www.instagram.com/p/DYz2HS0M2kt/",
            "IG image",
            "",
            "Lifetime",
            800,
            600,
            40,
            1,
            0,
            3,
            2,
        ],
        [
            "17974697564884259",
            "17841400057482273",
            "partner",
            "Partner AS",
            "Karusell",
            0,
            "05/30/2025 12:00",
            "https://www.instagram.com/p/DYz2HS0M2ku/",
            "IG carousel",
            "",
            "Lifetime",
            120,
            100,
            9,
            0,
            0,
            1,
            1,
        ],
    ]
    return plain_csv(folder / "May-25-2025_Jun-21-2025_1493633672508178.csv", IG_HEADERS, rows)


META_VIDEO_HEADERS = [
    "Video asset ID",
    "Universal video ID",
    "Page ID",
    "Page name",
    "Title",
    "Duration (sec)",
    "Publish time",
    "Custom labels",
    "Data comment",
    "Date",
    "Reach",
    "3-second video views",
    "Reactions, comments and shares",
]


def meta_videos_csv(path: Path, *, requoted: bool = False) -> Path:
    rows = [
        [
            "1664278361210560",
            "1664278361210561",
            FB_PAGE,
            "Eksempel AS",
            "Film, 1",
            31,
            "11/02/2025 10:00",
            "",
            "",
            "Lifetime",
            900,
            1200,
            40,
        ]
    ]
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(META_VIDEO_HEADERS)
    writer.writerows(rows)
    text = buf.getvalue()
    if requoted:  # every line wrapped in quotes as one cell, inner quotes doubled
        text = "".join('"' + line.replace('"', '""') + '"\n' for line in text.splitlines())
    return write_text(path, text, "utf-8-sig")


def name_accounts(folder: Path, account: str = "1") -> None:
    """Give every platform an account id in the folder's social.toml (most exports name none)."""
    config = folder / "social.toml"
    text = config.read_text(encoding="utf-8")
    for key in ("business_id", "organization_id", "page_id"):
        text = text.replace(f'{key} = ""', f'{key} = "{account}"', 1)
    config.write_text(text, encoding="utf-8")
