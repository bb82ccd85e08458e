"""Fixed vocabularies of the teams module: team levels, member roles, genders, ethnic groups."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tinhso.core.text import fold


class TeamLevel(models.TextChoices):
    COMMUNE = "commune", _("Commune-level team")
    VILLAGE = "village", _("Village-level team")


class MemberRole(models.TextChoices):
    LEADER = "leader", _("Team leader (tổ trưởng)")
    DEPUTY = "deputy", _("Deputy leader (tổ phó)")
    MEMBER = "member", _("Member (thành viên)")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


# The 54 ethnic groups of Viet Nam with the codes of the General Statistics Office's list
# (Quyết định 121-TCTK/PPCĐ). Names are proper nouns: the same in every language.
ETHNIC_GROUPS = [
    ("01", "Kinh"),
    ("02", "Tày"),
    ("03", "Thái"),
    ("04", "Hoa"),
    ("05", "Khmer"),
    ("06", "Mường"),
    ("07", "Nùng"),
    ("08", "H'Mông"),
    ("09", "Dao"),
    ("10", "Gia Rai"),
    ("11", "Ngái"),
    ("12", "Ê Đê"),
    ("13", "Ba Na"),
    ("14", "Xơ Đăng"),
    ("15", "Sán Chay"),
    ("16", "Cơ Ho"),
    ("17", "Chăm"),
    ("18", "Sán Dìu"),
    ("19", "Hrê"),
    ("20", "Mnông"),
    ("21", "Raglay"),
    ("22", "Xtiêng"),
    ("23", "Bru-Vân Kiều"),
    ("24", "Thổ"),
    ("25", "Giáy"),
    ("26", "Cơ Tu"),
    ("27", "Giẻ Triêng"),
    ("28", "Mạ"),
    ("29", "Khơ Mú"),
    ("30", "Co"),
    ("31", "Tà Ôi"),
    ("32", "Chơ Ro"),
    ("33", "Kháng"),
    ("34", "Xinh Mun"),
    ("35", "Hà Nhì"),
    ("36", "Chu Ru"),
    ("37", "Lào"),
    ("38", "La Chí"),
    ("39", "La Ha"),
    ("40", "Phù Lá"),
    ("41", "La Hủ"),
    ("42", "Lự"),
    ("43", "Lô Lô"),
    ("44", "Chứt"),
    ("45", "Mảng"),
    ("46", "Pà Thẻn"),
    ("47", "Cờ Lao"),
    ("48", "Cống"),
    ("49", "Bố Y"),
    ("50", "Si La"),
    ("51", "Pu Péo"),
    ("52", "Brâu"),
    ("53", "Ơ Đu"),
    ("54", "Rơ Măm"),
]
ETHNIC_NAME = dict(ETHNIC_GROUPS)
# Other spellings met in spreadsheets, folded (no accents, lower case).
ETHNIC_ALIASES = {"hmong": "08", "mong": "08", "h mong": "08", "khome": "05", "kho me": "05", "kho-me": "05"}


def ethnic_code(text) -> str | None:
    """'Mông', "H'Mông", 'hmong', '8' and '08' all give '08'; None when nothing matches."""
    value = str(text or "").strip()
    if value.isdigit() and f"{int(value):02d}" in ETHNIC_NAME:
        return f"{int(value):02d}"
    wanted = fold(value).replace("'", "").replace("’", "")
    for code, name in ETHNIC_GROUPS:
        if fold(name).replace("'", "") == wanted:
            return code
    return ETHNIC_ALIASES.get(wanted)
