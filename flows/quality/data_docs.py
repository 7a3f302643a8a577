"""GX Data Docs that open offline: the stylesheets, scripts and images they load from CDNs, served locally.

GX's page templates hard-code CDN links (bootstrap, jquery, bootstrap-table, font-awesome,
vega, ...; GX 1.x has no site-builder option for a local copy). After a site is rendered,
`localize_assets` copies `expectations/data_docs_assets/` (the same versions, taken from their
npm packages; versions and licences in its README) into the site's `static/vendor/` and
rewrites every page's links to relative paths. A link this table does not know stays as it is,
and `remote_assets` lists it (the tests fail on any), so a GX upgrade that adds or moves one
is noticed.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

from flows.config import PROJECT_ROOT

ASSETS_SOURCE = PROJECT_ROOT / "expectations" / "data_docs_assets"
VENDOR_DIR = Path("static") / "vendor"  # inside the site

# CDN address in GX's templates -> file under data_docs_assets/
CDN_ASSETS = {
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": "css/bootstrap.min.css",
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": "js/bootstrap.min.js",
    "https://code.jquery.com/jquery-3.7.1.min.js": "js/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": "js/popper.min.js",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": "css/bootstrap-table.min.css",
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": "js/bootstrap-table.min.js",
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "css/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "css/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "js/bootstrap-table-filter-control.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "css/bootstrap-datepicker.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "js/bootstrap-datepicker.min.js"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "css/bootstrap-prefers-dark.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": "css/fontawesome-all.min.css",
    "https://cdn.jsdelivr.net/npm/vega@5": "js/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "js/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "js/vega-embed.min.js",
}
# GX's logos come from its S3 bucket (with a tracking query); the site has its own copy in static/images
_GX_IMAGES = re.compile(
    r"https://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/([\w.-]+?)(?:\?[^\"')\s]*)?(?=[\"')])"
)
_LOCAL_IMAGES = {"logo-long.png": "logo-long.png", "full_logo_dark.png": "logo-long.png"}
# what loads something into the page: <link href>, <script src>, <img src>, CSS url(...)
_ASSET_REFERENCE = re.compile(
    r"<(?:link|script|img)\b[^>]*?\b(?:href|src)=[\"'](https?://[^\"']+)[\"']|url\(\s*[\"']?(https?://[^\"')\s]+)",
    re.IGNORECASE,
)


def localize_assets(site: Path, source: Path = ASSETS_SOURCE) -> int:
    """Copy the vendored assets into `site` and point every page at them; returns the pages rewritten."""
    vendor = site / VENDOR_DIR
    if vendor.exists():
        shutil.rmtree(vendor)
    shutil.copytree(source, vendor, ignore=shutil.ignore_patterns("README.md", "licenses"))
    rewritten = 0
    for page in site.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _rewrite(text, os.path.relpath(site, page.parent))
        if new != text:
            page.write_text(new, encoding="utf-8")
            rewritten += 1
    return rewritten


def _rewrite(html: str, to_root: str) -> str:
    prefix = Path(to_root).as_posix().rstrip("/") + "/"
    if prefix == "./":
        prefix = ""
    for url, local in CDN_ASSETS.items():
        html = html.replace(url, f"{prefix}{VENDOR_DIR.as_posix()}/{local}")

    def image(match: re.Match[str]) -> str:
        name = _LOCAL_IMAGES.get(match.group(1))
        return f"{prefix}static/images/{name}" if name else match.group(0)

    return _GX_IMAGES.sub(image, html)


def remote_assets(site: Path) -> dict[str, list[str]]:
    """Page (relative to the site) -> the remote addresses it still loads assets from."""
    found: dict[str, list[str]] = {}
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        urls = [a or b for a, b in _ASSET_REFERENCE.findall(text)]
        if urls:
            found[page.relative_to(site).as_posix()] = sorted(set(urls))
    return found
