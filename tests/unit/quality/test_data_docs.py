"""Offline Data Docs: every CDN asset GX's templates load is mapped to a vendored file, and pages are rewritten."""

from __future__ import annotations

import re
from pathlib import Path

import great_expectations

from flows.quality.data_docs import ASSETS_SOURCE, CDN_ASSETS, VENDOR_DIR, localize_assets, remote_assets

TEMPLATES = Path(great_expectations.__file__).parent / "render" / "view" / "templates"
PAGE = """<html><head>
<link rel="stylesheet" href="https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css"/>
<script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>
<style>.logo {{ background:
  url('https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/full_logo_dark.png') }}</style>
</head><body>
<img src="https://great-expectations-web-assets.s3.us-east-2.amazonaws.com/logo-long.png?d=20261204T0&dataContextId=x"/>
<a href="https://greatexpectations.io">a link, not an asset</a>
{extra}</body></html>"""


def test_every_asset_url_in_gx_templates_is_vendored():
    urls = set()
    for template in TEMPLATES.glob("*.j2"):
        text = template.read_text(encoding="utf-8")
        urls |= set(re.findall(r"<(?:link|script)\b[^>]*?(?:href|src)=\"(https?://[^\"]+)\"", text))
    assert urls, "no CDN links found: has GX changed its templates?"
    assert sorted(urls - CDN_ASSETS.keys()) == [], "GX loads an asset parley does not vendor: add it to CDN_ASSETS"
    for local in CDN_ASSETS.values():
        assert (ASSETS_SOURCE / local).is_file(), local


def test_pages_at_every_depth_point_at_the_local_copies(tmp_path: Path):
    site = tmp_path / "site"
    deep = site / "validations" / "suite" / "run" / "time"
    for page in (site / "index.html", deep / "batch.html"):
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(PAGE.format(extra=""), encoding="utf-8")

    assert localize_assets(site) == 2
    assert remote_assets(site) == {}
    index = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="static/vendor/css/bootstrap.min.css"' in index
    assert 'src="static/images/logo-long.png"' in index and "url('static/images/logo-long.png')" in index
    assert 'href="https://greatexpectations.io"' in index  # links stay links
    batch = (deep / "batch.html").read_text(encoding="utf-8")
    assert 'src="../../../../static/vendor/js/jquery.min.js"' in batch
    assert (site / VENDOR_DIR / "js" / "jquery.min.js").is_file()
    assert not (site / VENDOR_DIR / "licenses").exists()


def test_an_unknown_remote_asset_is_reported(tmp_path: Path):
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(PAGE.format(extra='<script src="https://cdn.example.org/new.js"></script>'))
    localize_assets(site)
    assert remote_assets(site) == {"index.html": ["https://cdn.example.org/new.js"]}
