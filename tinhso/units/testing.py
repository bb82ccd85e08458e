"""Builders for tests of every module: a small versioned unit tree.

tree = build_unit_tree()                    # Yên Bái before the reform, Lào Cai after
"""

import datetime
from types import SimpleNamespace

from tinhso.core.context import acting_as

from . import services
from .models import Unit

START = datetime.date(2020, 1, 1)
REFORM = datetime.date(2025, 7, 1)
BEFORE_REFORM = datetime.date(2025, 6, 30)


def make_unit(parent, code, short_name, unit_type, *, valid_from=START, valid_to=None, **extra) -> Unit:
    with acting_as(None, source="test"):
        return services.create_unit(
            actor=None,
            parent=parent,
            code=code,
            short_name=short_name,
            unit_type=unit_type,
            valid_from=valid_from,
            valid_to=valid_to,
            is_official=unit_type not in ("thon", "ban", "to_dan_pho"),
            **extra,
        )


def build_unit_tree() -> SimpleNamespace:
    """Tỉnh Yên Bái (two districts, three communes, five villages) until 30/6/2025; from 1/7/2025
    Tỉnh Lào Cai whose Xã Xuân Ái merges the old Xuân Ái and Yên Hợp, villages carried over."""
    t = SimpleNamespace()
    t.yen_bai = make_unit(None, "15", "Yên Bái", "tinh", valid_to=BEFORE_REFORM)
    t.van_yen = make_unit(t.yen_bai, "136", "Văn Yên", "huyen", valid_to=BEFORE_REFORM)
    t.luc_yen = make_unit(t.yen_bai, "135", "Lục Yên", "huyen", valid_to=BEFORE_REFORM)
    t.xuan_ai = make_unit(t.van_yen, "04441", "Xuân Ái", "xa", valid_to=BEFORE_REFORM)
    t.yen_hop = make_unit(t.van_yen, "04426", "Yên Hợp", "xa", valid_to=BEFORE_REFORM)
    t.khanh_hoa = make_unit(t.luc_yen, "04300", "Khánh Hòa", "xa", valid_to=BEFORE_REFORM)
    t.khe_dua = make_unit(t.xuan_ai, "04441-01", "Khe Dứa", "thon", households=120)
    t.na_hau = make_unit(t.xuan_ai, "04441-02", "Nà Hẩu", "ban", households=80)
    t.dong_tam = make_unit(t.yen_hop, "04426-01", "Đồng Tâm", "thon", households=150)
    t.khuoi_vai = make_unit(t.khanh_hoa, "04300-01", "Khuổi Vai", "ban", households=60)
    t.lao_cai = make_unit(None, "15", "Lào Cai", "tinh", valid_from=REFORM)
    t.new_xuan_ai = make_unit(t.lao_cai, "04441", "Xuân Ái", "xa", valid_from=REFORM)
    t.new_khanh_hoa = make_unit(t.lao_cai, "04300", "Khánh Hòa", "xa", valid_from=REFORM)
    with acting_as(None, source="test"):
        for old, new in (
            (t.yen_bai, t.lao_cai),
            (t.xuan_ai, t.new_xuan_ai),
            (t.yen_hop, t.new_xuan_ai),
            (t.khanh_hoa, t.new_khanh_hoa),
        ):
            services.succeed(old, new)
        for old, new in (
            (t.xuan_ai, t.new_xuan_ai),
            (t.yen_hop, t.new_xuan_ai),
            (t.khanh_hoa, t.new_khanh_hoa),
        ):
            services.carry_children_over(old, new, day=REFORM)
    for name in ("khe_dua", "na_hau", "dong_tam", "khuoi_vai"):
        setattr(t, name, Unit.objects.get(pk=getattr(t, name).pk))
    t.new_khe_dua = Unit.objects.get(code="04441-01", valid_from=REFORM)
    return t
