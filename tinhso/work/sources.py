"""Where work items come from. A domain above work (plans, meetings, citizen reports) registers its kind of
source at start-up, in its AppConfig.ready(), and then calls `services.create_item(..., source=obj)`:

    from tinhso.work.sources import register
    register("plan_task", _("Plan task"), "plans.Task", link=lambda task: task.get_absolute_url())

Work never imports those domains: it knows a source only through what was registered here.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class SourceKind:
    code: str
    label: str
    model: str  # "app_label.ModelName"
    link: Callable[[object], str] | None = None
    # Who may give work from such a source besides the assignee's managers: may_assign(actor, source) -> bool
    # (e.g. the chair or secretary of the body whose meeting decided it). The item then shows them as its giver.
    may_assign: Callable[[object, object], bool] | None = None

    def model_class(self):
        return apps.get_model(self.model)


_kinds: dict[str, SourceKind] = {}


def register(
    code: str,
    label,
    model: str,
    *,
    link: Callable[[object], str] | None = None,
    may_assign: Callable[[object, object], bool] | None = None,
) -> None:
    _kinds[code] = SourceKind(code, label, model, link, may_assign)


def may_assign(actor, source) -> bool:
    """True when the registered rule of `source`'s kind lets `actor` give work from it."""
    if actor is None or source is None:
        return False
    kind = _kinds.get(next((k.code for k in _kinds.values() if k.model == source._meta.label), ""))
    return bool(kind and kind.may_assign and kind.may_assign(actor, source))


def registered() -> list[SourceKind]:
    return list(_kinds.values())


def get(code: str) -> SourceKind | None:
    return _kinds.get(code)


def kind_of(obj) -> SourceKind:
    """The registered kind of `obj`'s model; a ValidationError when its domain registered none."""
    label = obj._meta.label
    for kind in _kinds.values():
        if kind.model == label:
            return kind
    raise ValidationError(
        _("Work cannot come from a %(model)s: that kind of source is not registered.") % {"model": label}
    )


def link_to(kind_code: str, obj) -> str:
    kind = _kinds.get(kind_code)
    if kind is None or kind.link is None or obj is None:
        return ""
    try:
        return kind.link(obj)
    except Exception:  # a source page that cannot be reversed must not break the work item page
        return ""
