import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from tinhso.core.text import fold
from tinhso.scoring.choices import EvaluationStatus
from tinhso.scoring.rules import number

from .choices import ETHNIC_NAME
from .models import Activity, ActivityType, Member, Team

NUMBER = {"td": {"class": "number"}, "th": {"class": "number"}}
WIDE_ONLY = {"td": {"class": "wide-only"}, "th": {"class": "wide-only"}}


class PlaceColumn(tables.Column):
    """The unit a record stands in on the structure date (its unit version mapped across reorganisations)."""

    def __init__(self, unit_accessor: str, **kwargs):
        self.unit_accessor = unit_accessor
        super().__init__(empty_values=(), orderable=False, **kwargs)

    def render(self, record, table):
        place = (
            table.structure.representative(tables.A(self.unit_accessor).resolve(record)) if table.structure else None
        )
        return place.name if place else "—"

    def value(self, record, table):
        return self.render(record, table)


class StructureTable(tables.Table):
    def __init__(self, *args, structure=None, **kwargs):
        self.structure = structure
        super().__init__(*args, **kwargs)


class TeamTable(StructureTable):
    name = tables.Column(verbose_name=_("Team"), linkify=True)
    level = tables.Column(verbose_name=_("Level"))
    place = PlaceColumn("unit_id", verbose_name=_("Serves"))
    member_count = tables.Column(verbose_name=_("Members"), attrs=NUMBER)
    decision_number = tables.Column(verbose_name=_("Decision"))
    founded_on = tables.DateColumn(verbose_name=_("Founded"), short=True)

    class Meta:
        model = Team
        fields = ["name", "level", "place", "member_count", "decision_number", "founded_on"]
        order_by = "name"
        empty_text = _("No team matches.")


class MemberTable(tables.Table):
    name = tables.Column(verbose_name=_("Full name"), accessor="person__full_name", order_by="person__search_name")
    phone = tables.Column(verbose_name=_("Phone"), accessor="person__phone")
    role = tables.Column(verbose_name=_("Position in the team"))
    team = tables.Column(
        verbose_name=_("Team"), accessor="team__name", linkify=lambda record: record.team.get_absolute_url()
    )
    gender = tables.Column(verbose_name=_("Gender"), accessor="person__gender")
    ethnicity = tables.Column(verbose_name=_("Ethnic group"), accessor="person__ethnicity")
    birth_year = tables.Column(verbose_name=_("Born"), accessor="person__birth_year", attrs=NUMBER)
    skills = tables.Column(verbose_name=_("Digital skills"), accessor="person__skills", visible=False)
    joined_on = tables.DateColumn(verbose_name=_("Joined"), short=True)

    class Meta:
        model = Member
        fields = ["name", "phone", "role", "team", "gender", "ethnicity", "birth_year", "skills", "joined_on"]
        order_by = "name"
        empty_text = _("No member matches.")

    def render_gender(self, record):
        return record.person.get_gender_display()

    def render_ethnicity(self, value):
        return ETHNIC_NAME.get(value, value)

    def render_birth_year(self, value):
        return str(value)  # a year, not a quantity: no thousands separator


class ActivityTable(tables.Table):
    date = tables.DateColumn(verbose_name=_("Date"), short=True, linkify=True)
    activity_type = tables.Column(
        verbose_name=_("Activity"), accessor="activity_type__name", order_by="activity_type__order"
    )
    team = tables.Column(
        verbose_name=_("Team"), accessor="team__name", linkify=lambda record: record.team.get_absolute_url()
    )
    village = tables.Column(verbose_name=_("Village"), accessor="village__name", default="—")
    people_reached = tables.Column(verbose_name=_("People"), attrs=NUMBER)
    households_reached = tables.Column(verbose_name=_("Households"), attrs=NUMBER)
    evidence_count = tables.Column(verbose_name=_("Evidence"), attrs=NUMBER)

    class Meta:
        model = Activity
        fields = ["date", "activity_type", "team", "village", "people_reached", "households_reached", "evidence_count"]
        order_by = "-date"
        empty_text = _("No activity recorded yet.")


class ActivityTypeTable(tables.Table):
    name = tables.Column(verbose_name=_("Name"), linkify=True)
    code = tables.Column(verbose_name=_("Code"))
    order = tables.Column(verbose_name=_("Order"), attrs=NUMBER)
    is_active = tables.BooleanColumn(verbose_name=_("In use"), yesno=("✓", "—"))

    class Meta:
        model = ActivityType
        fields = ["name", "code", "order", "is_active"]
        order_by = "order"
        empty_text = _("The catalogue is empty.")


class RankingTable(tables.Table):
    rank = tables.Column(verbose_name=_("Rank"), attrs=NUMBER, orderable=False)
    label = tables.Column(verbose_name=_("Team"), orderable=False)
    group = tables.Column(
        verbose_name=_("Ranked within"), accessor="group__name", orderable=False, default="—", attrs=WIDE_ONLY
    )
    total = tables.Column(verbose_name=_("Points"), attrs=NUMBER, orderable=False)
    percent = tables.Column(
        verbose_name=_("%"), orderable=False, attrs={key: {"class": "number wide-only"} for key in ("td", "th")}
    )
    classification = tables.Column(verbose_name=_("Classification"), orderable=False)
    status = tables.Column(verbose_name=_("Status"), orderable=False)

    class Meta:
        empty_text = _("No score for this period yet.")
        attrs = {"class": "table rankings"}

    def __init__(self, *args, group_level="province", **kwargs):
        super().__init__(*args, **kwargs)
        if group_level == "province":
            self.columns.hide("group")

    def render_rank(self, record):
        return f"{record.rank}/{record.group_size}"

    def value_rank(self, record):
        return record.rank

    def render_label(self, record):
        """The place the team serves is enough on a small screen; the full name is in the title."""
        url = reverse("scoring:evaluation_detail", args=[record.evaluation_id])
        shown = record.place.name if record.place else record.label
        return format_html('<a href="{}" title="{}">{}</a>', url, record.label, shown)

    def value_label(self, record):
        return record.label

    def render_total(self, value):
        return number(value)

    def render_percent(self, value):
        return number(value, 1)

    def render_classification(self, value):
        return format_html('<span class="badge class-{}">{}</span>', slugify(fold(value)), value) if value else "—"

    def value_classification(self, value):
        return value

    def render_status(self, value):
        return format_html(
            '<span class="badge{}">{}</span>', " ok" if value == "verified" else "", EvaluationStatus(value).label
        )

    def value_status(self, value):
        return EvaluationStatus(value).label
