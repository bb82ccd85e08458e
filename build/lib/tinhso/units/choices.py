from django.db import models
from django.utils.translation import gettext_lazy as _


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    DISTRICT = "district", _("District")
    COMMUNE = "commune", _("Commune")
    VILLAGE = "village", _("Village")


LEVEL_DEPTH: dict[str, int] = {UnitLevel.PROVINCE: 0, UnitLevel.DISTRICT: 1, UnitLevel.COMMUNE: 2, UnitLevel.VILLAGE: 3}


class UnitType(models.TextChoices):
    PROVINCE = "tinh", _("Province (tỉnh)")
    CENTRAL_CITY = "thanh_pho_tw", _("Centrally-run city")
    RURAL_DISTRICT = "huyen", _("Rural district (huyện)")
    TOWN = "thi_xa", _("Town (thị xã)")
    PROVINCIAL_CITY = "thanh_pho", _("Provincial city")
    URBAN_DISTRICT = "quan", _("Urban district (quận)")
    COMMUNE = "xa", _("Commune (xã)")
    WARD = "phuong", _("Ward (phường)")
    TOWNSHIP = "thi_tran", _("Township (thị trấn)")
    SPECIAL_ZONE = "dac_khu", _("Special zone (đặc khu)")
    VILLAGE = "thon", _("Village (thôn)")
    HAMLET = "ban", _("Hamlet (bản)")
    RESIDENTIAL_GROUP = "to_dan_pho", _("Residential group (tổ dân phố)")
    VILLAGE_LANG = "lang", _("Village (làng)")
    VILLAGE_XOM = "xom", _("Village (xóm)")
    VILLAGE_AP = "ap", _("Hamlet (ấp)")
    VILLAGE_KHOM = "khom", _("Quarter (khóm)")
    VILLAGE_BUON = "buon", _("Hamlet (buôn)")


TYPES_OF_LEVEL: dict[str, list[str]] = {
    UnitLevel.PROVINCE: [UnitType.PROVINCE, UnitType.CENTRAL_CITY],
    UnitLevel.DISTRICT: [
        UnitType.RURAL_DISTRICT,
        UnitType.TOWN,
        UnitType.PROVINCIAL_CITY,
        UnitType.URBAN_DISTRICT,
    ],
    UnitLevel.COMMUNE: [UnitType.COMMUNE, UnitType.WARD, UnitType.TOWNSHIP, UnitType.SPECIAL_ZONE],
    UnitLevel.VILLAGE: [
        UnitType.VILLAGE,
        UnitType.HAMLET,
        UnitType.RESIDENTIAL_GROUP,
        UnitType.VILLAGE_LANG,
        UnitType.VILLAGE_XOM,
        UnitType.VILLAGE_AP,
        UnitType.VILLAGE_KHOM,
        UnitType.VILLAGE_BUON,
    ],
}

# The word that starts an official name ("Xã Xuân Ái"), by type.
TYPE_PREFIX: dict[str, str] = {
    UnitType.PROVINCE: "Tỉnh",
    UnitType.CENTRAL_CITY: "Thành phố",
    UnitType.RURAL_DISTRICT: "Huyện",
    UnitType.TOWN: "Thị xã",
    UnitType.PROVINCIAL_CITY: "Thành phố",
    UnitType.URBAN_DISTRICT: "Quận",
    UnitType.COMMUNE: "Xã",
    UnitType.WARD: "Phường",
    UnitType.TOWNSHIP: "Thị trấn",
    UnitType.SPECIAL_ZONE: "Đặc khu",
    UnitType.VILLAGE: "Thôn",
    UnitType.HAMLET: "Bản",
    UnitType.RESIDENTIAL_GROUP: "Tổ dân phố",
    UnitType.VILLAGE_LANG: "Làng",
    UnitType.VILLAGE_XOM: "Xóm",
    UnitType.VILLAGE_AP: "Ấp",
    UnitType.VILLAGE_KHOM: "Khóm",
    UnitType.VILLAGE_BUON: "Buôn",
}


def type_from_word(word: str) -> str | None:
    """'Thị trấn' → 'thi_tran'; case and accents must match the official spelling."""
    wanted = word.strip().casefold()
    for unit_type, prefix in TYPE_PREFIX.items():
        if prefix.casefold() == wanted and unit_type != UnitType.CENTRAL_CITY:
            return unit_type
    return None


class OrganisationKind(models.TextChoices):
    PEOPLES_COMMITTEE = "peoples_committee", _("People's Committee (UBND)")
    PEOPLES_COUNCIL = "peoples_council", _("People's Council (HĐND)")
    DEPARTMENT = "department", _("Department or agency (sở, ban, ngành)")
    PARTY_COMMITTEE = "party_committee", _("Party committee (đảng ủy)")
    PARTY_CELL = "party_cell", _("Party cell (chi bộ)")
    FATHERLAND_FRONT = "fatherland_front", _("Fatherland Front or mass organisation")
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health station or hospital")
    COOPERATIVE = "cooperative", _("Cooperative")
    ENTERPRISE = "enterprise", _("Enterprise")
    OTHER = "other", _("Other")
