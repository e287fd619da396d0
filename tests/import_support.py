"""Writers of real-shaped export files for the importer tests."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, timedelta
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
