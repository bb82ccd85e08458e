import datetime
import gzip
from decimal import Decimal

import pytest
from django.test import Client

from tinhso.core.context import acting_as
from tinhso.trace import services
from tinhso.trace.models import Tree, WeatherObservation, WeatherStation

from .conftest import EXACT

pytestmark = pytest.mark.django_db


@pytest.fixture
def batch(tea):
    with acting_as(None, source="test"):
        product = services.create_product(
            actor=None,
            unit=tea.commune,
            producer=tea.cooperative,
            name="Trà xanh cổ thụ",
            gtin="8934563138165",
            ocop_stars=4,
        )
        harvest = services.record_event(
            actor=None, tree=tea.tree1, kind="harvesting", quantity_kg=Decimal("2.5"), performed_by="Giàng A Chu"
        )
        return services.create_batch(
            actor=None,
            product=product,
            lot="2025-01",
            packed_on=datetime.date(2025, 4, 10),
            trees=[tea.tree1],
            harvests=[harvest],
        )


def public_routes(tea, batch, settings):
    settings.TRACE_GS1_COMPANY_PREFIX = "8931234"
    tree = Tree.objects.get(pk=tea.tree1.pk)
    return [
        f"/t/{tree.short_code}",
        f"/t/{tree.short_code}?lang=en",
        f"/t/{tree.short_code}?linkType=all",
        f"/8004/8931234T{tree.pk}",
        f"/t/{batch.short_code}",
        f"/t/{batch.short_code}?lang=en",
        f"/t/{batch.short_code}?linkType=all",
        "/01/08934563138165/10/2025-01",
        "/.well-known/gs1resolver",
        "/t/nothing1",
        "/01/08934563138166/10/x",
    ]


def exact_spellings(latitude: Decimal, longitude: Decimal) -> list[str]:
    spellings = []
    for value in (latitude, longitude):
        text = f"{value:.6f}"
        spellings += [text, text.replace(".", ","), text[:-1], text[:-1].replace(".", ",")]
    return spellings


def test_no_public_route_ever_shows_the_exact_point(tea, batch, settings):
    for route in public_routes(tea, batch, settings):
        body = Client().get(route).content.decode()
        for spelling in exact_spellings(*EXACT):
            assert spelling not in body, (route, spelling)


def test_the_public_location_is_rounded_to_the_configured_precision(tea, settings):
    assert tea.tree1.public_latitude == Decimal("21.62") and tea.tree1.public_longitude == Decimal("104.61")
    settings.TRACE_PUBLIC_COORDINATE_DECIMALS = 3
    assert tea.tree1.public_latitude == Decimal("21.617")
    body = Client().get(f"/t/{tea.tree1.short_code}").content.decode()
    assert "21,617" in body and "21,6173" not in body


def test_the_tree_page_shows_what_a_tourist_wants_to_know(tea):
    body = Client().get(f"/t/{tea.tree1.short_code}").content.decode()
    for text in (
        "SG-0001",
        "khoảng 300 năm",
        "182,5 cm",
        "1.250 m",
        "Vườn Pang Cáng",
        "HTX Chè Suối Giàng",
        "cụ Giàng A Chu",
    ):
        assert text in body, text


def test_the_tree_page_switches_to_english(tea):
    body = Client().get(f"/t/{tea.tree1.short_code}?lang=en").content.decode()
    assert 'lang="en"' in body and "old Giàng A Chu" in body and "about 300 years" in body


def test_the_tree_page_is_light_and_cacheable(tea):
    response = Client().get(f"/t/{tea.tree1.short_code}", HTTP_ACCEPT_ENCODING="gzip")
    assert "public" in response["Cache-Control"] and "max-age=" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    body = response.content
    transferred = len(body) if response.get("Content-Encoding") == "gzip" else len(gzip.compress(body))
    assert transferred < 50_000
    assert len(body) < 50_000


def test_the_nearest_stations_weather_shows_on_the_tree_page(tea):
    near = WeatherStation.objects.create(
        code="NL", name="Nghĩa Lộ", latitude=Decimal("21.60"), longitude=Decimal("104.51")
    )
    WeatherStation.objects.create(code="HN", name="Láng", latitude=Decimal("21.02"), longitude=Decimal("105.80"))
    WeatherObservation.objects.create(
        station=near, day=datetime.date(2025, 4, 1), temperature_c=Decimal("19.5"), humidity_percent=Decimal("88")
    )
    body = Client().get(f"/t/{tea.tree1.short_code}").content.decode()
    assert "Nghĩa Lộ" in body and "19,5 °C" in body and "Láng" not in body


def test_the_map_is_off_by_default_with_a_coordinate_fallback(tea):
    body = Client().get(f"/t/{tea.tree1.short_code}").content.decode()
    assert "<details" not in body and "21,62° N" in body


def test_the_batch_page_shows_origin_certifications_and_a_recall(tea, batch):
    body = Client().get(f"/t/{batch.short_code}").content.decode()
    assert "Trà xanh cổ thụ" in body and "SG-0001" in body and "2,5 kg" in body
    with acting_as(None, source="test"):
        services.recall_batch(batch, actor=None, reason="Dư lượng vượt ngưỡng")
    body = Client().get(f"/t/{batch.short_code}").content.decode()
    assert "thu hồi" in body and "Dư lượng vượt ngưỡng" in body


def test_scans_are_counted_per_day_without_personal_data(tea, batch):
    from tinhso.trace.models import ScanCount
    from tinhso.trace.public import flush_scans

    for _ in range(3):
        Client().get(f"/t/{tea.tree1.short_code}", REMOTE_ADDR="10.0.0.9")
    flush_scans()
    scan = ScanCount.objects.get(tree=tea.tree1)
    assert scan.count == 3
    assert {field.name for field in ScanCount._meta.fields} == {"id", "tree", "batch", "day", "count"}


def test_a_photo_is_resized_stripped_of_its_gps_and_loaded_lazily(tea, settings, tmp_path):
    from io import BytesIO

    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    exif = Image.Exif()
    exif[0x8825] = {2: (21.0, 37.0, 2.4564), 4: (104.0, 36.0, 24.74)}  # GPSInfo: the exact point
    raw = BytesIO()
    Image.new("RGB", (4000, 3000), "green").save(raw, "JPEG", exif=exif)
    raw.seek(0)
    with acting_as(None, source="test"):
        photo = services.add_photo(tea.tree1, raw, actor=tea.officer, caption="Gốc chè")
    stored = Image.open(photo.image.path)
    assert max(stored.size) == 1280 and not stored.getexif()
    body = Client().get(f"/t/{tea.tree1.short_code}").content.decode()
    assert 'loading="lazy"' in body
    served = Client().get(f"/trace/public/photos/{photo.pk}/")
    assert served.status_code == 200 and "public" in served["Cache-Control"]


def test_a_cached_tree_page_costs_one_query(tea, django_assert_max_num_queries):
    Client().get(f"/t/{tea.tree1.short_code}")
    with django_assert_max_num_queries(1):
        assert Client().get(f"/t/{tea.tree1.short_code}").status_code == 200
