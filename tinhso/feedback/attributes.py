"""A report's answers to its category's attributes (the Open311 service definition, GeoReport v2).

A definition lists attributes: `code`, `datatype` (string, number, datetime, text, singlevaluelist,
multivaluelist), `required`, `variable` (false: a note shown to the citizen, nothing to answer), `order`,
`description` (the question) and, for lists, `values` [{key, name}]. A request answers with
`attribute[<code>]=value`, and for a multivaluelist `attribute[<code>][]=key` once per key (the filing page
may send one checkbox per key, `attribute[<code>][<key>]=on`). The answers are checked here against the
definition and stored with the report: {code: value, or [keys] for a multivaluelist}.

They are never published: the spec's request has no place for them, and a free-text answer may hold a name
or a phone number. The office and the reporter see them on the report's page and in the API."""

import datetime
import re
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from tinhso.core.text import clean_text

DATATYPES = ("string", "number", "datetime", "text", "singlevaluelist", "multivaluelist")
LISTS = ("singlevaluelist", "multivaluelist")
MAX_ANSWERS = 50
MAX_STRING, MAX_TEXT = 255, 4000
KEY = re.compile(r"^attribute\[([^\[\]]{1,40})\](?:\[([^\[\]]{0,40})\])?$")


def field_name(code: str) -> str:
    return f"attribute[{code}]"


def from_form(data) -> dict[str, str | list[str]]:
    """The attribute answers of a form or query (a QueryDict): {code: value or [keys]}. Other keys are left."""
    answers: dict[str, str | list[str]] = {}
    for name in data:
        matched = KEY.match(name)
        if matched is None:
            continue
        code, key = matched.groups()
        if key is None:
            answers[code] = data.get(name, "")
        elif key == "":
            answers[code] = list(data.getlist(name))
        elif data.get(name) in ("on", "true", "1"):  # the page's checkbox per key
            previous = answers.get(code)
            answers[code] = [*(previous if isinstance(previous, list) else []), key]
    return answers


def questions(category) -> list[dict]:
    """The attributes a citizen answers, in their order."""
    variable = [each for each in category.attributes or [] if each.get("variable", True) and each.get("code")]
    return sorted(variable, key=lambda each: (each.get("order") or 0, each["code"]))


def _label(attribute: dict) -> str:
    return attribute.get("description") or attribute["code"]


def _empty(value) -> bool:
    return value is None or value == "" or value == [] or (isinstance(value, list) and not any(value))


def _scalar(attribute: dict, value) -> str:
    if isinstance(value, list):
        if len(value) != 1:
            raise ValidationError(_("“%(label)s” takes one value.") % {"label": _label(attribute)})
        value = value[0]
    if not isinstance(value, str | int | float | Decimal) or isinstance(value, bool):
        raise ValidationError(_("“%(label)s” takes one value.") % {"label": _label(attribute)})
    return str(value)


def _number(attribute: dict, raw: str) -> str:
    try:
        value = Decimal(raw.strip().replace(",", "."))
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or abs(value) >= Decimal("1e12"):
        raise ValidationError(_("“%(label)s” is a number, e.g. 12.5.") % {"label": _label(attribute)})
    return format(value.normalize(), "f")


def _moment(attribute: dict, raw: str) -> str:
    text = raw.strip()
    try:
        moment = parse_datetime(text.replace(" ", "T", 1)) if "T" in text or ":" in text else None
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if moment is not None:
        moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
        return timezone.localtime(moment).isoformat(timespec="minutes")
    if day is not None and datetime.date(1900, 1, 1) <= day:
        return day.isoformat()
    raise ValidationError(_("“%(label)s” is a date and time, e.g. 2026-12-04 08:30.") % {"label": _label(attribute)})


def _keys(attribute: dict) -> list[str]:
    return [str(each.get("key")) for each in attribute.get("values") or []]


def _answer(attribute: dict, value) -> str | list[str]:
    kind = attribute.get("datatype", "string")
    if kind == "multivaluelist":
        chosen = value if isinstance(value, list) else [value]
        chosen = [str(each) for each in chosen if each not in ("", None)]
        if any(each not in _keys(attribute) for each in chosen) or len(set(chosen)) != len(chosen):
            raise ValidationError(_("Choose the values of “%(label)s” from its list.") % {"label": _label(attribute)})
        return chosen
    raw = _scalar(attribute, value)
    if kind == "singlevaluelist":
        if raw not in _keys(attribute):
            raise ValidationError(_("Choose “%(label)s” from its list.") % {"label": _label(attribute)})
        return raw
    if kind == "number":
        return _number(attribute, raw)
    if kind == "datetime":
        return _moment(attribute, raw)
    limit = MAX_TEXT if kind == "text" else MAX_STRING
    text = clean_text(raw.strip(), multiline=kind == "text")
    if len(text) > limit:
        raise ValidationError(
            _("“%(label)s” is at most %(count)s characters.") % {"label": _label(attribute), "count": limit}
        )
    return text


def checked(category, answers: dict | None) -> dict[str, str | list[str]]:
    """The answers checked against the category's definition; ValidationError keyed `attribute[<code>]`."""
    answers = answers or {}
    if not isinstance(answers, dict) or len(answers) > MAX_ANSWERS:
        raise ValidationError({"attributes": _("The attributes are a list of answers by code.")})
    asked = {each["code"]: each for each in questions(category)}
    errors: dict[str, list[str]] = {}
    for code in answers:
        if str(code) not in asked:
            errors[field_name(str(code)[:40])] = [
                _("This category has no attribute “%(code)s”.") % {"code": str(code)[:40]}
            ]
    kept: dict[str, str | list[str]] = {}
    for code, attribute in asked.items():
        value = answers.get(code)
        if _empty(value):
            if attribute.get("required"):
                errors[field_name(code)] = [_("Answer “%(label)s”.") % {"label": _label(attribute)}]
            continue
        try:
            kept[code] = _answer(attribute, value)
        except ValidationError as error:
            errors[field_name(code)] = error.messages
    if errors:
        raise ValidationError(errors)
    return kept


def shown(category, answers: dict) -> list[tuple[str, str]]:
    """(question, answer) pairs to show the office and the reporter; a list's keys by their names."""
    rows = []
    for attribute in questions(category):
        value = (answers or {}).get(attribute["code"])
        if _empty(value):
            continue
        names = {str(each.get("key")): str(each.get("name", each.get("key"))) for each in attribute.get("values") or []}
        values = value if isinstance(value, list) else [value]
        rows.append((_label(attribute), ", ".join(names.get(str(each), str(each)) for each in values)))
    return rows


CODE = re.compile(r"^[A-Za-z0-9_-]{1,40}$")
MAX_ATTRIBUTES, MAX_VALUES, MAX_DESCRIPTION = 20, 50, 255


def check_definition(definition) -> list[dict]:
    """A category's attribute definition in its own shape (what the category page and the admin save):
    a list of at most 20 attributes, each with a unique `code`, a known `datatype`, `required` true or false,
    a `description` and, for a list and only for a list, 1-50 `values` {key, name} with unique keys.
    Returns it in the stored shape (`variable`, `order` filled in); ValidationError on `attributes`."""
    if not isinstance(definition, list) or len(definition) > MAX_ATTRIBUTES:
        raise ValidationError({"attributes": _("At most %(count)s attributes, as a list.") % {"count": MAX_ATTRIBUTES}})
    checked: list[dict] = []
    codes: set[str] = set()
    for position, attribute in enumerate(definition, start=1):
        problem = _definition_problem(attribute, codes)
        if problem:
            raise ValidationError(
                {"attributes": _("Attribute %(number)s: %(problem)s") % {"number": position, "problem": problem}}
            )
        codes.add(attribute["code"])
        checked.append(_stored(attribute, position))
    return checked


def _definition_problem(attribute, codes: set) -> str:
    if not isinstance(attribute, dict):
        return _("each attribute is an object.")
    code = attribute.get("code")
    if not isinstance(code, str) or not CODE.match(code):
        return _("the code is 1-40 letters, digits, - or _.")
    if code in codes:
        return _("the code “%(code)s” is used twice.") % {"code": code}
    if attribute.get("datatype") not in DATATYPES:
        return _("the datatype is one of %(names)s.") % {"names": ", ".join(DATATYPES)}
    if not isinstance(attribute.get("required", False), bool) or not isinstance(attribute.get("variable", True), bool):
        return _("required and variable are true or false.")
    description = attribute.get("description", "")
    if not isinstance(description, str) or not description.strip() or len(description) > MAX_DESCRIPTION:
        return _("the description (the question) is 1-255 characters.")
    return _values_problem(attribute)


def _values_problem(attribute: dict) -> str:
    values = attribute.get("values")
    if attribute["datatype"] not in LISTS:
        return _("only a list has values.") if values else ""
    if not isinstance(values, list) or not 0 < len(values) <= MAX_VALUES:
        return _("a list has 1-%(count)s values.") % {"count": MAX_VALUES}
    keys = [value.get("key") if isinstance(value, dict) else None for value in values]
    names = [value.get("name") if isinstance(value, dict) else None for value in values]
    if not all(isinstance(key, str) and CODE.match(key) for key in keys) or len(set(keys)) != len(keys):
        return _("each value has a unique key of 1-40 letters, digits, - or _.")
    if not all(isinstance(name, str) and name.strip() and len(name) <= MAX_DESCRIPTION for name in names):
        return _("each value has a name of 1-255 characters.")
    return ""


def _stored(attribute: dict, position: int) -> dict:
    stored = {
        "variable": attribute.get("variable", True),
        "code": attribute["code"],
        "datatype": attribute["datatype"],
        "required": attribute.get("required", False),
        "datatype_description": str(attribute.get("datatype_description", ""))[:MAX_DESCRIPTION],
        "order": attribute.get("order") if isinstance(attribute.get("order"), int) else position,
        "description": attribute["description"].strip(),
    }
    if attribute["datatype"] in LISTS:
        stored["values"] = [{"key": value["key"], "name": value["name"].strip()} for value in attribute["values"]]
    return stored
