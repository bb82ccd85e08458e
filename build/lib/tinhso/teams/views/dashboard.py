from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from tinhso.core.text import short_date

from ..coverage import RECENT_DAYS, Coverage, default_root
from .common import PermissionRequiredMixin, StructureMixin, place_trail


class DashboardView(LoginRequiredMixin, PermissionRequiredMixin, StructureMixin, TemplateView):
    """Coverage of communes and villages by teams, drilling down the structure of the chosen day."""

    template_name = "teams/dashboard.html"
    required_permission = "teams.view_team"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        root = self._root()
        total, rows = Coverage(self.request.user, self.structure, root).compute()
        context.update(
            root=root,
            total=total,
            rows=rows,
            place_trail=place_trail(self.structure, root),
            recent_days=RECENT_DAYS,
            rows_are_villages=bool(rows) and rows[0].place.level == "village",
        )
        return context

    def _root(self):
        code = self.request.GET.get("within", "").strip()
        if not code:
            return default_root(self.request.user, self.structure)
        root = self.structure.by_code(code)
        if root is None:
            raise Http404(
                _("No administrative unit has code %(code)s on %(date)s.")
                % {"code": code, "date": short_date(self.structure.day)}
            )
        return root
