import json

import pytest
from django.test import Client, override_settings

from tinhso.trace import identifiers
from tinhso.trace.models import Tree

from .conftest import add_tree

pytestmark = pytest.mark.django_db
PREFIX = "8931234"


@pytest.fixture
def gs1(tea, settings):
    settings.TRACE_GS1_COMPANY_PREFIX = PREFIX
    settings.SITE_URL = "https://tinhso.example.vn"
    tree = add_tree(tea.garden, "SG-0777", estimated_age=210)
    return tree


def test_with_a_company_prefix_a_tree_gets_a_giai_digital_link_that_resolves(gs1):
    assert gs1.link == f"https://tinhso.example.vn/8004/{PREFIX}T{gs1.pk}"
    response = Client().get(f"/8004/{PREFIX}T{gs1.pk}")
    assert response.status_code == 200
    assert "SG-0777" in response.content.decode()


def test_without_a_prefix_the_label_carries_a_short_url(tea):
    assert tea.tree1.link.endswith(f"/t/{tea.tree1.short_code}")
    assert Client().get(f"/t/{tea.tree1.short_code}").status_code == 200


@pytest.mark.parametrize(
    "path, reason",
    [
        ("/01/08931234000018/10/2025-01", "check digit"),
        ("/01/12345/10/2025-01", "8, 12, 13"),
        ("/99/abc", "primary key"),
        ("/01/08931234000011/17/250101", "qualifier"),
        ("/8004/ABC123", "company prefix"),
        ("/8004/8931234T1/21/x", "qualifier"),
        ("/01/08931234000011/10/a%20b", "lot"),
    ],
)
def test_a_malformed_digital_link_is_400_with_the_reason(tea, path, reason):
    with override_settings(LANGUAGE_CODE="en"):
        response = Client().get(path + ("&" if "?" in path else "?") + "lang=en")
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_wrong_check_digit_is_explained_in_vietnamese_by_default(tea):
    response = Client().get("/01/08931234000018/10/2025-01")
    assert response.status_code == 400
    assert "Số kiểm tra" in response.content.decode()


def test_an_unknown_identifier_is_a_404_page_in_vietnamese(gs1):
    for path in (f"/8004/{PREFIX}T999999", "/01/08931234000011/10/NOPE", "/t/zzzzzzzz"):
        response = Client().get(path)
        assert response.status_code == 404, path
        assert 'lang="vi"' in response.content.decode()
        assert "Không tìm thấy" in response.content.decode()


def test_link_type_all_returns_the_link_set_with_exactly_one_default(gs1):
    response = Client().get(f"/8004/{PREFIX}T{gs1.pk}?linkType=all")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/linkset+json"
    links = json.loads(response.content)["linkset"]
    assert len(links) == 1 and links[0]["anchor"] == gs1.link
    assert len(links[0]["https://gs1.org/voc/defaultLink"]) == 1
    assert {link["hreflang"][0] for link in links[0]["https://gs1.org/voc/pip"]} == {"vi", "en"}


def test_head_answers_like_get_without_a_body(tea):
    response = Client().head(f"/t/{tea.tree1.short_code}")
    assert response.status_code == 200
    assert response.content == b""
    assert response["Access-Control-Allow-Origin"] == "*"
    assert 'rel="linkset"' in response["Link"]


def test_options_tells_the_allowed_methods_with_cors(gs1):
    for path in (f"/8004/{PREFIX}T{gs1.pk}", f"/t/{gs1.short_code}", "/.well-known/gs1resolver"):
        response = Client().options(path, HTTP_ORIGIN="https://shop.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET")
        assert response.status_code == 204
        assert response["Access-Control-Allow-Origin"] == "*"
        assert set(response["Access-Control-Allow-Methods"].split(", ")) == {"GET", "HEAD", "OPTIONS"}


def test_other_methods_are_refused(tea):
    assert Client().post(f"/t/{tea.tree1.short_code}").status_code == 405
    assert Client().delete("/01/08931234000011/10/X").status_code == 405


def test_the_well_known_resolver_description(gs1):
    response = Client().get("/.well-known/gs1resolver")
    assert response.status_code == 200
    document = response.json()
    assert document["resolverRoot"] == "https://tinhso.example.vn"
    assert set(document["supportedPrimaryKeys"]) == {"gtin", "giai"}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_gtin_check_digits():
    assert identifiers.normalise_gtin("8934563138165") == "08934563138165"
    with pytest.raises(identifiers.MalformedLink):
        identifiers.normalise_gtin("8934563138166")
    assert identifiers.with_check_digit("893456313816") == "8934563138165"


def test_the_stored_link_survives_a_change_of_prefix(gs1, settings):
    settings.TRACE_GS1_COMPANY_PREFIX = "8939999"
    assert Tree.objects.get(pk=gs1.pk).link.endswith(f"/8004/{PREFIX}T{gs1.pk}")
