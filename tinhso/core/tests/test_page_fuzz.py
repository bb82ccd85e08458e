"""Hostile input of every class on every server-rendered page: the rule of issue 10 (a clean 4xx, never a 500)
for the pages, their HTMX fragments and their forms, as test_api_fuzz keeps it for the API.

The test walks Django's URL resolver, fills each path converter with an object of the module's test world
(the `world` fixtures of the modules' tests), and for each page, as a province administrator, as a citizen
and anonymously (a page anonymous people may open): GETs it with each class of hostile value in every
parameter the page names (its filter forms, its links, its HTMX fields) and the usual ones; then POSTs each
form the page shows, and each page that takes only POST, with field values of the same classes.
Every answer must be below 500 and no exception may escape. Derandomised: the values are fixed, one request
per class. Patterns the worlds hold no object for are skipped by name, printed, and counted against a floor."""

import contextlib
import importlib
import re
import uuid
from collections import Counter
from html.parser import HTMLParser
from types import SimpleNamespace
from urllib.parse import quote, urlsplit

import pytest
from django.apps import apps
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tinhso.accounts.testing import make_user
from tinhso.core.testing import web_client

# The modules' test worlds, as fixtures under their module's name (a test may import fixtures).
from tinhso.feedback.tests.conftest import report as feedback_report  # noqa: F401
from tinhso.feedback.tests.conftest import world  # noqa: F401  (the report's world)
from tinhso.meetings.tests.conftest import world as meetings_world  # noqa: F401
from tinhso.plans.tests.conftest import commune_plan, dossiers  # noqa: F401
from tinhso.radio.tests.conftest import radio as radio_world  # noqa: F401
from tinhso.teams.tests.conftest import world as teams_world  # noqa: F401
from tinhso.trace.tests.conftest import tea as trace_world  # noqa: F401
from tinhso.work.tests.conftest import assign, finish
from tinhso.work.tests.conftest import world as work_world  # noqa: F401

HUGE = str(2**70)
# One GET per class: every parameter of the page carries the value (raw: already percent-encoded).
QUERY_CLASSES = {
    "huge integer": HUGE,
    "negative": "-1",
    "full-width digits": quote("１２"),
    "month 13": "9999-13",
    "year zero": "0000",
    "date zero": "0000-00-00",
    "hour 25": quote("9999-12-31T25:61"),
    "not finite": "1e309",
    "NaN": "NaN",
    "NUL byte": "a%00b",
    "lone surrogate": "%ED%A0%80",
    "invalid UTF-8": "%FF%FE",
    "invisible": quote("\u200b\u200d\u202e\u2066\ufeff"),
    "100 KB": "9" * 100_000,
    "nested keys": None,  # name[a][b]=1
    "repeated keys": None,  # name=1&name=HUGE&name=x
}
# One POST per class: number, date and text fields each get the class's value for their kind.
FORM_CLASSES = {
    "huge integer": {"number": HUGE, "date": "0000-00-00", "text": HUGE},
    "NaN": {"number": "NaN", "date": "NaN", "text": "NaN"},
    "Infinity": {"number": "Infinity", "date": "9999-12-31T25:61", "text": "-Infinity"},
    "1e309": {"number": "1e309", "date": "9999-12-31", "text": "1e309"},
    "full-width digits": {"number": quote("１２"), "date": quote("２０２６-０１-０１"), "text": quote("１２")},
    "dates out of range": {"number": "-1", "date": "9999-12-31T25:61", "text": "0000-00-00"},
    "NUL byte": {"number": "1%00", "date": "2026-01-01%00", "text": "a%00b"},
    "invalid UTF-8": {"number": "%FF%FE", "date": "%ED%A0%80", "text": "%FF%FE%ED%A0%80"},
    "invisible only": {"number": quote("\u200b"), "date": quote("\u200b"), "text": quote("\u200b\u200d\u202e\ufeff")},
    "200 KB": {"number": "9" * 200_000, "date": "2" * 200_000, "text": "x" * 200_000},
    "nested keys": None,  # each field as name[a][b]
}
GENERIC_PARAMS = ("page", "month", "year", "q", "period", "date", "status", "unit", "sort", "on", "day")
GENERIC_FIELDS = ("reason", "note", "comment", "text", "title", "name", "quantity", "date", "value", "code", "unit")
SKIPPED_PREFIXES = ("api/", "admin/", "i18n/", "static/", "media/")
# Pages that end the session or are not pages a person opens.
# (The health check answers 503 by design when a service it checks is down.)
NOT_FUZZED = {"accounts:logout", "core:metrics", "core:health"}
# Values for path converters that are not ids of objects; ids come from the worlds.
TEXT_VALUES = {
    "period": "2026-03",
    "year": "2026",
    "step": "manager",
    "kind": "agenda",
    "sha256": "0" * 64,
    "fmt": "json",
    "token": "khong-co",
    "rest": "v2/khong-co",
    "path": "01/09506000134352",
    "uidb64": "MQ",
    "token_": "x",
}
MODEL_FOR = {  # a path segment whose model name differs from it
    "feedback": "feedback.report",
    "phan-anh": "feedback.report",
    "anh": "feedback.photo",
    "work": "work.workitem",
    "live": "learning.liveround",
    "bank": "learning.question",
    "citizens": "scoring.evaluation",  # a resident's digital-citizen evaluation ("why")
    "criteria": "scoring.criterion",
    "criterion": "scoring.criterion",
    "scores": "scoring.score",
    "values": "plans.datavalue",
    "staff": "work.staffmember",
    "organisation": "units.organisation",
    "unit_id": "units.unit",
    "team": "teams.team",
    "course": "learning.course",
    "users": "accounts.user",
    "roles": "accounts.roleassignment",
    "bodies": "meetings.body",
    "member": "meetings.bodymember",
    "photo": "trace.treephoto",
    "dictionary": "radio.pronunciationentry",
    "notifications": "core.message",
}


@pytest.fixture
def learning_world(tree):
    from django.utils import timezone

    from tinhso.learning import citizens
    from tinhso.learning.models import ContestCertificate, DigitalCitizenProfile
    from tinhso.learning.tests.factories import make_contest, stock_bank

    stock_bank(tree.xuan_ai)
    citizens.ensure_criteria_set(tree.lao_cai, actor=None)
    resident = make_user("citizen", tree.new_khe_dua, full_name="Cư dân thử")
    DigitalCitizenProfile.objects.create(user=resident, unit=tree.new_khe_dua, has_electronic_identity=True)
    citizens.recognise(tree.new_xuan_ai, "2026", actor=make_user("commune_officer", tree.new_xuan_ai))
    contest = make_contest(tree.xuan_ai)
    participant = make_user("citizen", tree.xuan_ai)
    ContestCertificate.objects.create(  # a printed certificate, for its revoke form
        contest=contest, user=participant, name="Lò Văn Páo", score=2, max_score=3, issued_at=timezone.now()
    )
    return SimpleNamespace(tree=tree, contest=contest)


@pytest.fixture
def work_items(work_world):  # noqa: F811  (the fixture of that name)
    finish(work_world, assign(work_world))
    return assign(work_world, title="Tờ trình")


# Each world's fixtures, and the pages (pattern × path values) it covers at least: a pattern whose object the
# world lacks is skipped and printed, and the floor keeps the skip list from growing unnoticed.
WORLDS = {
    "feedback": ("feedback_report", 23),
    "meetings": ("meetings_world", 27),
    "plans": (("commune_plan", "dossiers"), 21),
    "radio": ("radio_world", 17),
    "teams": ("teams_world", 19),
    "trace": ("trace_world", 24),
    "work": ("work_items", 19),
    "learning": ("learning_world", 25),
    "core accounts units scoring": ((), 36),
}


@pytest.mark.fuzz
@pytest.mark.parametrize("modules", WORLDS)
def test_no_hostile_input_on_a_page_gets_a_server_error(request, tree, modules, capsys):
    fixtures, floor = WORLDS[modules]
    for name in (fixtures,) if isinstance(fixtures, str) else fixtures:
        request.getfixturevalue(name)
    people = _people(tree)
    pages, skipped = _pages(set(modules.split()))
    run = Run(people)
    for url, name in pages:
        run.page(url, name)
    with capsys.disabled():
        print(
            f"\npage fuzz [{modules}]: {len(pages)} pages, {run.tally['requests']} requests, "
            f"{len(run.errors)} server errors; answers {dict(sorted(run.tally.items(), key=str))}"
            f"\n  skipped (no object in the world): {sorted(skipped)}"
        )
        print("\n".join(run.errors))
    assert run.errors == []
    assert len(pages) >= floor, f"{len(pages)} pages fuzzed, {floor} expected; skipped: {sorted(skipped)}"


def _people(tree):
    admin = make_user("province_admin", tree.yen_bai, username="fuzz-admin")
    make_user_role(admin, "province_admin", tree.lao_cai)
    citizen = make_user("citizen", tree.xuan_ai, username="fuzz-citizen")
    make_user_role(citizen, "citizen", tree.new_xuan_ai)
    return {"province_admin": admin, "citizen": citizen, "anonymous": None}


def make_user_role(user, role, unit):
    user.role_assignments.create(role=role, unit=unit, include_descendants=role != "citizen")


# --- The pages -----------------------------------------------------------------------------------------


def _patterns(resolver=None, prefix="", namespace=None):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(part for part in (namespace, entry.namespace) if part) or None
            yield from _patterns(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield prefix + str(entry.pattern), f"{namespace}:{entry.name}" if namespace else entry.name, entry


def _label(route: str, name: str) -> str:
    namespace = name.partition(":")[0].removesuffix("_public")
    return namespace if namespace in {a.label for a in apps.get_app_configs()} else "core"


def _pages(labels: set) -> tuple[list, set]:
    pages, skipped = [], set()
    for route, name, entry in _patterns():
        if route.lstrip("^").startswith(SKIPPED_PREFIXES) or name in NOT_FUZZED or _label(route, name) not in labels:
            continue
        for kwargs in _kwargs_of(route, entry):
            if kwargs is None:
                skipped.add(name)
                continue
            with contextlib.suppress(Exception):
                pages.append((reverse(name, kwargs=kwargs), name))
                continue
            skipped.add(name)
    return pages, skipped


def _kwargs_of(route: str, entry):
    """Each set of path values for the pattern (one, or one per action of the view's ACTIONS); None if the
    worlds hold no object for an id in it."""
    names = list(entry.pattern.regex.groupindex)
    if not names:
        return [{}]
    kwargs = {}
    for name in names:
        value = _value(route, name, entry)
        if value is None:
            return [None]
        kwargs[name] = value
    actions = getattr(importlib.import_module(entry.callback.__module__), "ACTIONS", None)
    if "action" in names and isinstance(actions, dict):
        return [kwargs | {"action": action} for action in actions]
    return [kwargs]


def _value(route: str, name: str, entry):
    converter = entry.pattern.converters.get(name) if hasattr(entry.pattern, "converters") else None
    kind = type(converter).__name__
    if name in TEXT_VALUES:
        return TEXT_VALUES[name]
    if kind == "UUIDConverter":
        return uuid.UUID(int=1)
    if kind != "IntConverter" and name not in ("pk",):
        return _text_value(route, name)
    model = _model_for(route, name)
    obj = model._base_manager.order_by("pk").first() if model else None
    return obj.pk if obj else None


def _text_value(route: str, name: str):
    if name == "code":
        obj = _first("plans.indicator") if "indicator" in route else _first("plans.dataset")
        return obj.code if obj else None
    if name == "slug":
        obj = _first("radio.board")
        return obj.slug if obj else None
    if name == "short":
        obj = _first("trace.tree")
        return getattr(obj, "short_code", None) or "abc"
    if name == "action":
        return "revoke"
    return TEXT_VALUES.get(name, "x")


def _first(label: str):
    with contextlib.suppress(LookupError):
        return apps.get_model(label)._base_manager.order_by("pk").first()
    return None


def _model_for(route: str, name: str):
    segment = _segment_before(route, name)
    key = name.removesuffix("_pk").removesuffix("_id") if name != "pk" else segment
    for candidate in (name, key, segment):
        if candidate in MODEL_FOR:
            return apps.get_model(MODEL_FOR[candidate])
    app = route.lstrip("^").split("/")[0]
    singular = re.sub(r"ies$", "y", key)
    singular = re.sub(r"(?<!s)s$", "", re.sub(r"(ch|sh|x|ss)es$", r"\1", singular)).replace("-", "")
    models = [m for m in apps.get_models() if m.__module__.startswith("tinhso.")]
    ranked = sorted(
        (m for m in models if singular in m._meta.model_name),
        key=lambda m: (m._meta.model_name != singular, m._meta.app_label != app, len(m._meta.model_name)),
    )
    return ranked[0] if ranked else None


def _segment_before(route: str, name: str) -> str:
    head = re.split(rf"<(?:\w+:)?{name}>|\(\?P<{name}>", route)[0].strip("/^")
    return head.split("/")[-1] if head else ""


# --- The requests ---------------------------------------------------------------------------------------


class Run:
    def __init__(self, people):
        self.people, self.tally, self.errors, self.posted = people, Counter(), [], set()

    def page(self, url: str, name: str) -> None:
        for role, user in self.people.items():
            client = web_client(user)
            status, body = self.send(client, "GET", url, "", f"{role} GET {name}")
            if role == "anonymous" and status != 200:
                continue
            found = Found()
            if status == 200 and body:
                with contextlib.suppress(Exception):
                    found.feed(body)
            params = list(dict.fromkeys([*found.params, *GENERIC_PARAMS]))
            for case, value in QUERY_CLASSES.items() if status == 200 else _FEW_QUERY_CLASSES:
                self.send(client, "GET", f"{url}?{_query(params, case, value)}", "", f"{role} GET {name} [{case}]")
            forms = found.forms if status == 200 else []
            if status == 405 or (status == 200 and not forms and name.split(":")[-1].endswith(_POST_ONLY)):
                forms = [(url, dict.fromkeys(GENERIC_FIELDS, "text"))]
            for action, fields in forms:
                self.post_form(client, role, name, action or url, fields)

    def post_form(self, client, role, name, action, fields) -> None:
        target = urlsplit(action).path
        key = (role, target, tuple(sorted(fields)))
        if key in self.posted or not target.startswith("/") or _not_fuzzed(target):
            return
        self.posted.add(key)
        for case, values in FORM_CLASSES.items():
            body = _form_body(fields, case, values)
            self.send(client, "POST", target, body, f"{role} POST {name} → {target} [{case}]")

    def send(self, client, method, url, body, what) -> tuple[int, str]:
        self.tally["requests"] += 1
        try:
            with transaction.atomic():  # a database error rolls back to here, as a request would
                if method == "GET":
                    response = client.get(url, HTTP_ACCEPT_LANGUAGE="vi")
                else:
                    response = client.post(
                        url, body, content_type="application/x-www-form-urlencoded", HTTP_ACCEPT_LANGUAGE="vi"
                    )
        except Exception as error:  # raised instead of answering: a 500 in production
            self.tally[500] += 1
            self.errors.append(f"{what}: {_cause(error)}")
            return 500, ""
        self.tally[response.status_code] += 1
        if response.status_code >= 500:
            self.errors.append(f"{what}: {response.status_code}")
        content_type = response.get("Content-Type", "")
        text = response.content.decode(errors="replace") if "html" in content_type and not response.streaming else ""
        return response.status_code, text


# A page refused to the person (403, 404, a redirect to log in) checks who asks before reading the query.
_FEW_QUERY_CLASSES = [(case, QUERY_CLASSES[case]) for case in ("huge integer", "NUL byte", "invalid UTF-8")]
_POST_ONLY = ("_remove", "_delete", "_reset", "_unlock", "_read", "_read_all", "_cancel", "_recall", "_approve")


def _not_fuzzed(path: str) -> bool:
    with contextlib.suppress(Exception):
        from django.urls import resolve

        match = resolve(path)
        return match.view_name in NOT_FUZZED or path.startswith(("/api/", "/admin/", "/i18n/"))
    return True


def _query(params: list, case: str, value) -> str:
    names = [quote(name) for name in params[:20]]
    if case == "nested keys":
        return "&".join(f"{name}%5Ba%5D%5Bb%5D=1" for name in names)
    if case == "repeated keys":
        return "&".join(f"{name}=1&{name}={HUGE}&{name}=x" for name in names)
    if case == "100 KB":
        return f"{names[0]}={value}&q={'x' * 100_000}"
    return "&".join(f"{name}={value}" for name in names)


def _form_body(fields: dict, case: str, values) -> str:
    if values is None:  # nested keys
        return "&".join(f"{quote(name)}%5Ba%5D%5Bb%5D=1&{quote(name)}=1" for name in fields) + "&a%5Bb%5D%5Bc%5D=1"
    return "&".join(f"{quote(name)}={values[kind]}" for name, kind in fields.items())


def _cause(error: Exception) -> str:
    """The exception and where it came from: the project's frames, then the deepest one (in Django, often)."""
    frames, trace = [], error.__traceback__
    while trace is not None:
        code = trace.tb_frame.f_code
        where = f"{code.co_filename.split('site-packages/', 1)[-1].split('tinhso/', 1)[-1]}:{trace.tb_lineno}"
        if "tinhso" in code.co_filename and "tests" not in code.co_filename or trace.tb_next is None:
            frames.append(where)
        trace = trace.tb_next
    return f"{type(error).__name__}: {str(error)[:120]} at {' → '.join(frames[-4:])}"


class Found(HTMLParser):
    """What a page offers: parameter names (its inputs, the queries of its links and HTMX calls) and its POST
    forms with each field's kind (number, date or text)."""

    def __init__(self):
        super().__init__()
        self.params, self.forms, self._form = [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for attribute in ("href", "hx-get"):
            link = attrs.get(attribute) or ""
            if "?" in link:
                self.params += [pair.split("=")[0] for pair in link.split("?", 1)[1].split("&") if pair]
        if tag == "form":
            self._form = None
            if (attrs.get("method") or "get").lower() == "post":
                self._form = (attrs.get("action") or "", {})
                self.forms.append(self._form)
            return
        name = attrs.get("name")
        if tag in ("input", "select", "textarea") and name and name != "csrfmiddlewaretoken":
            self.params.append(name)
            kind = _kind(attrs.get("type") or "", name)
            if self._form is not None and kind:
                self._form[1][name] = kind
        if attrs.get("hx-post"):
            self.forms.append((attrs["hx-post"], {name: "text"} if name else {"value": "text"}))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None


def _kind(input_type: str, name: str) -> str | None:
    if input_type in ("file", "submit", "button", "image", "reset"):
        return None
    if input_type in ("number", "range") or re.search(r"(quantity|count|number|amount|value|year|minutes)", name):
        return "number"
    if input_type.startswith(("date", "time", "month")) or re.search(r"(date|_on$|_at$|month|day)", name):
        return "date"
    return "text"
