"""Public pages replayed from the cache before sessions and auth: same bytes, ETag/304, scans still counted,
and a change (a recall, an edit) shows at once."""

import pytest
from django.test import Client

from tinhso.core.context import acting_as
from tinhso.trace import services
from tinhso.trace.models import ScanCount, Tree
from tinhso.trace.public import flush_scans

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    from django.core.cache import cache

    cache.clear()


def test_a_second_scan_is_replayed_without_touching_the_database(tea, django_assert_num_queries):
    url = f"/t/{tea.tree1.short_code}"
    first = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    with django_assert_num_queries(0):
        again = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert again.status_code == 200 and again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Content-Encoding"] == "gzip"
    assert again["Cache-Control"].startswith("public") and again["Access-Control-Allow-Origin"] == "*"
    assert "Set-Cookie" not in again and not again.cookies


def test_a_matching_etag_gets_a_304_without_a_body(tea):
    url = f"/t/{tea.tree1.short_code}?lang=en"
    etag = Client().get(url)["ETag"]
    response = Client().get(url, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response.content == b"" and response["ETag"] == etag
    assert Client().get(url, HTTP_IF_NONE_MATCH='"other"').status_code == 200


def test_replayed_scans_are_still_counted(tea):
    for _ in range(4):
        Client().get(f"/t/{tea.tree1.short_code}")
    Client().get(f"/t/{tea.tree1.short_code}?linkType=all")  # the link set is not a scan
    flush_scans()
    assert ScanCount.objects.get(tree=tea.tree1).count == 4


def test_other_query_strings_are_not_kept(tea):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = f"/t/{tea.tree1.short_code}?utm_source=x"
    Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        assert Client().get(url).status_code == 200
    assert len(queries) >= 1  # went through the view again


def test_an_edit_shows_at_once(tea):
    url = f"/t/{tea.tree1.short_code}?lang=en"
    assert "Dead" not in Client().get(url).content.decode()
    tree = Tree.objects.get(pk=tea.tree1.pk)
    with acting_as(None, source="test"):
        services.update_tree(tree, actor=None, status="dead")
    assert "Dead" in Client().get(url).content.decode()


def test_a_host_that_is_not_allowed_is_refused_even_for_a_replayed_page(tea):
    url = f"/t/{tea.tree1.short_code}"
    Client().get(url)
    assert Client().get(url, HTTP_HOST="evil.example").status_code == 400


def test_head_is_replayed_without_a_body(tea):
    url = f"/t/{tea.tree1.short_code}"
    Client().get(url)
    response = Client().head(url)
    assert response.status_code == 200 and response.content == b"" and int(response["Content-Length"]) > 0


def test_a_change_drops_the_page_kept_in_memory_by_every_worker(tea):
    """Each worker keeps replayed pages in memory; a change made in another worker must still show."""
    from tinhso.core import public_cache

    url = f"/t/{tea.tree1.short_code}"
    Client().get(url)
    other_worker = public_cache._LocalLayer()
    key = public_cache._key(url, "", False)
    assert other_worker.get(key) is not None  # read once, now kept in that worker's memory
    tree = Tree.objects.get(pk=tea.tree1.pk)
    with acting_as(None, source="test"):
        services.update_tree(tree, actor=None, status="dead")  # forgets the page in the shared cache
    assert other_worker.get(key) is None
    assert "Đã chết" in Client().get(url).content.decode()


def test_clearing_the_shared_cache_also_ends_the_copies_in_memory(tea):
    from django.core.cache import cache

    from tinhso.core import public_cache

    url = f"/t/{tea.tree1.short_code}"
    Client().get(url)
    worker = public_cache._LocalLayer()
    key = public_cache._key(url, "", False)
    assert worker.get(key) is not None
    cache.clear()
    assert worker.get(key) is None


def test_a_new_photo_and_a_harvest_show_on_a_page_already_scanned(tea):
    """Neither changes the tree's own row, yet both are on its page."""
    import io
    from decimal import Decimal

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    url = f"/t/{tea.tree1.short_code}?lang=en"
    page = Client().get(url).content.decode()
    assert "/trace/public/photos/" not in page and "Harvested this year" not in page
    raw = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(raw, "JPEG")
    with acting_as(None, source="test"):
        services.add_photo(tea.tree1, actor=None, image=SimpleUploadedFile("a.jpg", raw.getvalue()), caption="Gốc")
        services.record_event(actor=None, tree=tea.tree1, kind="harvesting", quantity_kg=Decimal("2.5"))
    page = Client().get(url).content.decode()
    assert "/trace/public/photos/" in page and "Harvested this year" in page and "2.5 kg" in page


def test_every_replayed_answer_has_its_own_request_id(tea):
    url = f"/t/{tea.tree1.short_code}"
    Client().get(url)
    first, second = Client().get(url), Client().get(url)
    assert first["X-Request-ID"] != second["X-Request-ID"]
    sent = "6f1c2b1e-2f7a-4d4e-9c1a-0b7f3f4f5a6b"
    assert Client().get(url, HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
