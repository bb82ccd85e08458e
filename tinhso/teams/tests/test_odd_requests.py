"""Whatever a person types into an address or a filter, every page of the module answers with a page or a
clear refusal, never a server error, and an empty result says so."""

import pytest

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client

ODD = {
    "as_of": "hôm qua",
    "page": "9999",
    "within": "ZZZ",
    "period": "quý 5",
    "level": "tỉnh",
    "since": "32/13/2024",
    "until": "x",
    "team": "abc",
    "commune": "99999",
    "format": "exe",
    "group": "quốc gia",
    "status": "lạ",
    "activity_type": "khong-co",
    "export": "pdf",
    "sort": "-khong_co_cot",
}
PAGES = [
    "/teams/",
    "/teams/registry/",
    "/teams/members/",
    "/teams/activities/",
    "/teams/activities/new/",
    "/teams/rankings/",
    "/teams/reports/",
    "/teams/activity-types/",
]


@pytest.mark.parametrize("url", PAGES)
def test_an_odd_parameter_never_breaks_a_page(world, url):
    client = web_client(make_user("province_admin", world.tree.lao_cai))
    broken = {name: code for name in sorted(ODD) if (code := client.get(url, {name: ODD[name]}).status_code) >= 500}
    assert not broken


@pytest.mark.parametrize(
    "url, params, text",
    [
        ("/teams/registry/", {"q": "không tổ nào tên thế này"}, "Không có tổ nào phù hợp."),
        ("/teams/members/", {"q": "không ai tên thế này"}, "Không có thành viên nào phù hợp."),
        ("/teams/activities/", {"since": "2019-01-01", "until": "2019-01-31"}, "Chưa ghi hoạt động nào."),
    ],
)
def test_an_empty_list_says_so(world, url, params, text):
    client = web_client(make_user("province_admin", world.tree.lao_cai))
    assert text in client.get(url, params).content.decode()


@pytest.mark.parametrize("url", ["/teams/registry/", "/teams/members/", "/teams/activities/"])
def test_an_unknown_unit_code_is_named_on_the_page_with_nothing_listed(world, url):
    client = web_client(make_user("province_admin", world.tree.lao_cai))
    response = client.get(url, {"within": "ZZZ", "as_of": "2026-01-15"})
    assert response.status_code == 200
    assert "Không có đơn vị hành chính nào mang mã ZZZ vào ngày 15/1/2026." in response.content.decode()
    assert response.context["table"].page.paginator.count == 0
