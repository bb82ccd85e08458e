"""The participation and levels reports draw their figures as bars (server-side SVG), next to the tables."""

import re

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tinhso.accounts.testing import make_user
from tinhso.core.charts import BARS_WIDTH, WIDTH, bar_chart
from tinhso.core.testing import web_client
from tinhso.learning.models import LearnerLevel

from .factories import make_contest

pytestmark = pytest.mark.django_db

BAR = re.compile(r'<g class="bar"><title>([^<]+)</title><rect [^>]*width="(\d+)"[^>]*data-value="(\d+)"')


def bars(svg: str) -> list[tuple[str, int, int]]:
    """(what the bar's tooltip says, drawn width, value) for each bar, in order."""
    return [(title, int(width), int(value)) for title, width, value in BAR.findall(svg)]


def first_chart(page: str) -> str:
    return page[page.index('<figure class="bar-chart">') : page.index("</figure>")]


def test_the_participation_report_draws_people_and_attempts_per_commune(tree, contest_with_people):
    contest = contest_with_people
    staff = web_client(make_user("dx_centre_staff", tree.lao_cai))
    page = staff.get(f"/learning/contests/{contest.pk}/report/").content.decode()
    svg = first_chart(page)
    assert '<title id="chart-units-title">Tham gia theo đơn vị</title>' in svg and "<desc " in svg
    # Xuân Ái: 2 people, 3 attempts (the peak: the full width); Khánh Hòa: 1 and 1.
    assert bars(svg) == [
        ("Xã Xuân Ái: 2", 157, 2),
        ("Xã Xuân Ái: 3", 235, 3),
        ("Xã Khánh Hòa: 1", 78, 1),
        ("Xã Khánh Hòa: 1", 78, 1),
    ]
    assert "Số người dự thi" in svg and "Số lượt dự thi" in svg  # the legend
    assert 'id="by-unit"' in page or "<table" in page[page.index("</figure>") :]  # the table stays, as the data


def test_a_contest_nobody_took_shows_no_chart_but_says_so(tree):
    contest = make_contest(tree.lao_cai)
    staff = web_client(make_user("dx_centre_staff", tree.lao_cai))
    page = staff.get(f"/learning/contests/{contest.pk}/report/").content.decode()
    assert "bar-chart" not in page and "Chưa có số liệu để vẽ biểu đồ." in page


def test_the_levels_report_draws_learners_per_level_in_each_domain(tree):
    user = make_user("citizen", tree.new_khe_dua)
    other = make_user("citizen", tree.new_khe_dua)
    for person, domain, level in ((user, 1, 2), (other, 1, 2), (user, 4, 0), (other, 4, 1), (other, 2, 3)):
        LearnerLevel.objects.create(
            user=person, unit=tree.new_khe_dua, domain=domain, level=level, assessed_at="2026-01-01T00:00Z"
        )
    LearnerLevel.objects.create(  # another commune: not counted
        user=make_user("citizen", tree.new_khanh_hoa),
        unit=tree.new_khanh_hoa,
        domain=1,
        level=8,
        assessed_at="2026-01-01T00:00Z",
    )
    page = web_client(make_user("commune_officer", tree.new_xuan_ai)).get("/learning/levels/").content.decode()
    charts = re.findall(r'<figure class="bar-chart">.*?</figure>', page, re.S)
    first = charts[0]
    assert "Số người học theo bậc: 1. Khai thác dữ liệu và thông tin" in first
    drawn = bars(first)
    assert len(drawn) == 9  # below level 1, then levels 1–8
    assert [(width, value) for _title, width, value in drawn if value] == [(235, 2)]
    assert drawn[2][0].startswith("Bậc 2") and drawn[2][0].endswith(": 2")
    safety = next(chart for chart in charts if "4. An toàn" in chart)
    assert [value for _title, _width, value in bars(safety)][:2] == [1, 1]
    assert "dưới bậc 1: 1" in safety


def test_no_one_assessed_means_no_level_charts(tree):
    page = web_client(make_user("commune_officer", tree.new_xuan_ai)).get("/learning/levels/").content.decode()
    assert "bar-chart" not in page and "Chưa có số liệu để vẽ biểu đồ." in page


def test_huge_numbers_and_long_names_stay_inside_the_picture():
    huge = 1_234_567_890_123
    with translation.override("vi"):
        chart = bar_chart(
            "T", "D", ["A", "B"], [("Ủy ban nhân dân xã có một cái tên rất rất dài", [huge, 1]), ("Xã", [0, 0])]
        )
        svg = render_to_string("core/partials/_bar_chart.html", {"chart": chart, "id": "c"})
    assert "1.234.567.890.123" in svg  # Vietnamese grouping
    assert all(width <= BARS_WIDTH for _title, width, _value in bars(svg))
    assert bars(svg)[0][1] == BARS_WIDTH and bars(svg)[1][1] == 0  # 1 next to a trillion: no sliver overflows
    assert 'textLength="80"' in svg  # the long figure squeezed into its column
    assert "Ủy ban nhân dân xã có m…" in svg  # the label cut, its full text in the bar's title
    assert "Ủy ban nhân dân xã có một cái tên rất rất dài: 1.234.567.890.123" in svg
    assert f'viewBox="0 0 {WIDTH} ' in svg


def test_a_province_of_communes_draws_a_tall_chart_whose_geometry_is_not_number_formatted():
    with translation.override("vi"):
        chart = bar_chart("T", "D", ["A"], [(f"Xã {number}", [number * 1000]) for number in range(60)])
        svg = render_to_string("core/partials/_bar_chart.html", {"chart": chart, "id": "c"})
    assert f'viewBox="0 0 {WIDTH} {chart.height}"' in svg and chart.height > 1000  # not "1.404"
    assert bars(svg)[-1] == ("Xã 59: 59.000", BARS_WIDTH, 59000)
