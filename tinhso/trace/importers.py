"""Import of trees from Excel or CSV: every row checked first, every bad row listed with its line, all or nothing."""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tinhso.core.imports import ImportRejected, RowError, read_table

from . import services
from .choices import AgeMethod, EventKind
from .models import Garden, Tree

COLUMNS = {
    "number": ("Số hiệu", "Số cây", "Number"),
    "garden": ("Vườn", "Garden"),
    "variety": ("Giống", "Variety"),
    "estimated_age": ("Tuổi ước tính", "Tuổi", "Estimated age", "Age"),
    "age_method": ("Cách ước tính tuổi", "Age method"),
    "age_source": ("Nguồn ước tính", "Age source"),
    "girth_cm": ("Chu vi gốc (cm)", "Chu vi (cm)", "Girth (cm)", "Girth"),
    "height_m": ("Chiều cao (m)", "Height (m)", "Height"),
    "canopy_m": ("Tán (m)", "Canopy (m)", "Canopy"),
    "altitude_m": ("Độ cao (m)", "Altitude (m)", "Altitude"),
    "latitude": ("Vĩ độ", "Latitude", "lat"),
    "longitude": ("Kinh độ", "Longitude", "lon", "lng"),
    "story_vi": ("Câu chuyện", "Câu chuyện (tiếng Việt)", "Story (vi)"),
    "story_en": ("Câu chuyện (tiếng Anh)", "Story (en)", "Story"),
}
REQUIRED = ("number", "latitude", "longitude")
NUMBERS = ("estimated_age", "girth_cm", "height_m", "canopy_m", "altitude_m", "latitude", "longitude")
METHODS = {str(label).lower(): value for value, label in AgeMethod.choices} | {v: v for v in AgeMethod.values}


def import_trees(uploaded, *, actor, garden: Garden | None = None) -> list[Tree]:
    rows = read_table(uploaded, COLUMNS, required=REQUIRED)
    gardens = {g.name.lower(): g for g in Garden.objects.restrict(actor, "change").select_related("unit")}
    gardens |= {str(g.pk): g for g in gardens.values()}
    errors: list[RowError] = []
    trees: list[Tree] = []
    seen: dict[tuple[int, str], int] = {}
    outlines: dict = {}  # each commune's outline, looked up once
    for row in rows:
        tree = _tree(row, gardens, garden, errors, outlines)
        if tree is None:
            continue
        key = (tree.unit_id, tree.number)
        if key in seen:
            errors.append(RowError(row["_row"], "number", _("Same number as line %(line)d.") % {"line": seen[key]}))
            continue
        seen[key] = row["_row"]
        trees.append(tree)
    existing = set(Tree.objects.filter(number__in=[t.number for t in trees]).values_list("unit_id", "number")) & set(
        seen
    )
    errors += [
        RowError(seen[key], "number", _("A tree with this number is already registered.")) for key in sorted(existing)
    ]
    if errors:
        raise ImportRejected(sorted(errors, key=lambda error: error.row))
    return services.import_trees(trees, actor=actor)


def _tree(row: dict, gardens: dict, default: Garden | None, errors: list[RowError], outlines: dict) -> Tree | None:
    line = row["_row"]
    before = len(errors)
    garden = gardens.get(str(row.get("garden", "")).strip().lower()) if row.get("garden") else default
    if garden is None:
        errors.append(RowError(line, "garden", _("Unknown garden, or one you may not change.")))
        return None
    values = {}
    for name in NUMBERS:
        raw = str(row.get(name, "") or "").replace(",", ".").strip()
        try:
            values[name] = Decimal(raw) if raw else None
        except InvalidOperation:
            errors.append(RowError(line, name, _("Not a number: “%(value)s”.") % {"value": raw[:40]}))
    if len(errors) > before:
        return None
    method = METHODS.get(str(row.get("age_method", "")).strip().lower(), "")
    tree = Tree(
        unit_id=garden.unit_id,
        garden=garden,
        number=str(row.get("number", "")).strip(),
        variety=str(row.get("variety") or "Shan tuyết").strip(),
        age_method=method,
        age_source=str(row.get("age_source", "")).strip()[:200],
        story_vi=str(row.get("story_vi", "")).strip(),
        story_en=str(row.get("story_en", "")).strip(),
        **{name: _whole(values[name]) if name in ("estimated_age", "altitude_m") else values[name] for name in NUMBERS},
    )
    try:
        services.check_tree(tree, exclude=("short_code",), outlines=outlines)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors += [RowError(line, field, message) for message in messages]
        return None
    return tree


def _whole(value: Decimal | None):
    return int(value) if value is not None and value == value.to_integral_value() and value >= 0 else value


EVENT_COLUMNS = {
    "tree": ("Số hiệu cây", "Số hiệu", "Tree number", "Tree"),
    "kind": ("Loại", "Công việc", "Kind", "bizStep"),
    "date": ("Ngày", "Thời điểm", "Date", "Time"),
    "quantity_kg": ("Sản lượng (kg)", "Sản lượng", "Quantity (kg)", "kg"),
    "performed_by": ("Người thực hiện", "Done by"),
    "inputs": ("Vật tư", "Inputs"),
    "note": ("Ghi chú", "Note"),
}


def event_kinds() -> dict[str, str]:
    """Kinds of work by their Vietnamese or English label or their CBV name (harvesting, pruning...)."""
    from django.utils import translation

    kinds = {value: value for value in EventKind.values if value != EventKind.SENSOR}
    for language in ("vi", "en"):
        with translation.override(language):
            kinds |= {str(EventKind(value).label).lower(): value for value in list(kinds.values())}
    return kinds


def import_events(uploaded, *, actor) -> list:
    """Care and harvest records from a spreadsheet (trees by number, among those the person may see)."""
    import datetime

    from django.utils import timezone

    from tinhso.core.imports import cell_date

    rows = read_table(uploaded, EVENT_COLUMNS, required=("tree", "kind", "date"))
    trees = {tree.number: tree for tree in Tree.objects.restrict(actor, "view")}
    kinds = event_kinds()
    errors: list[RowError] = []
    events = []
    for row in rows:
        line = row["_row"]
        tree = trees.get(str(row.get("tree", "")).strip())
        kind = kinds.get(str(row.get("kind", "")).strip().lower())
        day = cell_date(row.get("date"))
        raw = str(row.get("quantity_kg", "") or "").replace(",", ".").strip()
        try:
            quantity = Decimal(raw) if raw else None
        except InvalidOperation:
            quantity = Decimal(-1)
        for column, problem, message in (
            ("tree", tree is None, _("Unknown tree number, or a tree you may not see.")),
            ("kind", kind is None, _("Unknown kind of work.")),
            ("date", day is None, _("Not a date.")),
            (
                "quantity_kg",
                quantity is not None and quantity < 0,
                _("Not a number: “%(value)s”.") % {"value": raw[:40]},
            ),
        ):
            if problem:
                errors.append(RowError(line, column, message))
        if tree is None or kind is None or day is None or (quantity is not None and quantity < 0):
            continue
        when = timezone.make_aware(datetime.datetime.combine(day, datetime.time(8)))
        events.append(
            {
                "tree": tree,
                "kind": kind,
                "event_time": when,
                "quantity_kg": quantity,
                "performed_by": str(row.get("performed_by", ""))[:120],
                "inputs": str(row.get("inputs", ""))[:200],
                "note": str(row.get("note", "")),
            }
        )
    if errors:
        raise ImportRejected(errors)
    try:
        return services.record_events(events, actor=actor)
    except ValidationError as error:
        raise ImportRejected([RowError(0, "", message) for message in error.messages]) from error
