"""Generic views: each page of a module is a declaration on one of these classes."""

from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import DetailView, FormView, TemplateView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin
from django_tables2.export import ExportMixin

from . import exports
from .files import download_response, stored_file_response
from .jobs import live_progress
from .models import Job, ObjectChange
from .registry import home


class ScopedQuerysetMixin(LoginRequiredMixin):
    """Only what belongs to the user's administrative units, for `permission_action`."""

    permission_action = "view"

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, self.permission_action)


class HtmxTemplateMixin:
    """The same URL answers an HTMX request with just the fragment it replaces."""

    partial_template_name: str | None = None

    def get_template_names(self):
        htmx = getattr(self.request, "htmx", None)
        if self.partial_template_name and htmx and not htmx.boosted and htmx.target != "main":
            return [self.partial_template_name]
        return super().get_template_names()


class ObjectListView(ScopedQuerysetMixin, HtmxTemplateMixin, ExportMixin, SingleTableMixin, FilterView):
    """Search, filters, sorting, pagination and CSV/Excel export of any scoped model."""

    template_name = "core/object_list.html"
    partial_template_name = "core/partials/_object_list_results.html"
    table_pagination = {"per_page": 50}
    export_formats = ("csv", "xlsx")
    export_trigger_param = "export"
    exports_as_job = True  # core.exports may rebuild this list in a job (it names views by path, not by import)
    title = ""
    add_url_name = ""
    add_permission = ""

    def get_export_filename(self, export_format):
        return f"{self.export_name}.{export_format}"

    @property
    def export_name(self):
        return self.model._meta.model_name if self.model else "export"

    def create_export(self, export_format):
        """In the request up to EXPORT_INLINE_MAX_ROWS rows; above, a background job (tinhso.core.exports)."""
        table = self.get_table(**self.get_table_kwargs())
        if getattr(self, "collect_export", False):  # the export job renders this view in the worker
            exports.collect(table)
        rows = len(table.rows)
        if rows > settings.EXPORT_INLINE_MAX_ROWS:
            from .services import start_export

            job = start_export(actor=self.request.user, view=self, export_format=export_format, rows=rows)
            return redirect("core:job_detail", pk=job.pk)
        exporter = self.export_class(
            export_format=export_format,
            table=table,
            exclude_columns=self.exclude_columns,
            dataset_kwargs=self.get_dataset_kwargs(),
        )
        return download_response(exporter.export(), self.get_export_filename(export_format), exporter.content_type())

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_add = self.add_url_name and (not self.add_permission or self.request.user.has_perm(self.add_permission))
        context.update(
            title=self.title or self.model._meta.verbose_name_plural,
            add_url_name=can_add and self.add_url_name,
            export_formats=self.export_formats,
        )
        return context


class ObjectDetailView(ScopedQuerysetMixin, DetailView):
    template_name = "core/object_detail.html"
    history_limit = 10

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["history"] = object_history(self.object)[: self.history_limit]
        context["history_type"] = _content_type_label(self.object)
        return context


def object_history(obj):
    content_type = ContentType.objects.get_for_model(obj, for_concrete_model=True)
    return ObjectChange.objects.filter(object_type=content_type, object_id=obj.pk).order_by("-time", "-id")


def _content_type_label(obj) -> str:
    return f"{obj._meta.app_label}.{obj._meta.model_name}"


class ServiceFormView(LoginRequiredMixin, FormView):
    """A form whose valid data goes to a service; service errors show on the form, nothing is saved.

    Subclasses define `perform(form)`, which calls the service and returns the saved object.
    """

    template_name = "core/object_form.html"
    title = ""

    def form_valid(self, form):
        try:
            result = self.perform(form)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)
        except PermissionDenied as error:
            form.add_error(None, str(error) or _("You do not have permission to do this."))
            return self.form_invalid(form)
        return redirect(self.get_success_url(result))

    def get_success_url(self, result=None):
        return result.get_absolute_url()

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.title}


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, messages in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


class HomeView(LoginRequiredMixin, TemplateView):
    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["assignments"] = user.role_assignments.select_related("unit").order_by("unit__path")
        context["recent_jobs"] = Job.objects.filter(created_by=user)[:5]
        context["cards"] = home.for_request(self.request)
        context["today"] = timezone.localdate()
        return context


class JobDetailView(LoginRequiredMixin, HtmxTemplateMixin, DetailView):
    template_name = "core/job_detail.html"
    partial_template_name = "core/partials/_job_progress.html"
    context_object_name = "job"

    def get_queryset(self):
        return Job.objects.filter(created_by=self.request.user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        done, total, message = live_progress(self.object)
        percent = 100 if self.object.status == "succeeded" else (int(done * 100 / total) if total else 0)
        errors = (self.object.result or {}).get("errors", [])
        context.update(
            done=done,
            total=total,
            message=message,
            percent=percent,
            errors=errors[:500],
            more_errors=max(0, len(errors) - 500),
        )
        return context


def job_download(request, pk):
    """The file a job made (an export), for the person who started it only; anyone else gets 404."""
    if not request.user.is_authenticated:
        raise Http404
    job = Job.objects.filter(pk=pk, created_by=request.user, status="succeeded").first()
    name = (job.result or {}).get("file") if job else None
    if not name or not name.startswith(exports.FOLDER + "/"):
        raise Http404
    return stored_file_response(
        name,
        content_type=job.result.get("content_type", ""),
        download_name=job.result.get("file_name", ""),
        inline=False,
    )


class ChangeListView(ObjectListView):
    """The change log, filtered to the user's units; `?object_type=&object_id=` shows one object."""

    model = ObjectChange
    template_name = "core/change_list.html"

    def get_queryset(self):
        return ObjectChange.objects.select_related("object_type").restrict(self.request.user, "view")

    def get_filterset_class(self):
        from .filtersets import ObjectChangeFilterSet

        return ObjectChangeFilterSet

    def get_table_class(self):
        from .tables import ObjectChangeTable

        return ObjectChangeTable

    def get_filterset(self, filterset_class):
        filterset = super().get_filterset(filterset_class)
        try:
            filterset.qs  # noqa: B018  (evaluates the object_type lookup)
        except ValidationError as error:
            raise Http404(error.messages[0]) from error
        return filterset


def offline_worker(page: str):
    """The view of an offline form's service worker (core/offline-worker.js) for the page named `page`.

    Mount it beside the page, in the page's folder or above (`events/sw.js` for `events/add/`): a worker only
    controls pages under its own address, and one served from /static/ could not, nor be sent with no-cache.
    """

    def worker(request):
        script = render_to_string("core/offline-worker.js", {"page": reverse(page), "static": settings.STATIC_URL})
        response = HttpResponse(script, content_type="text/javascript; charset=utf-8")
        response["Cache-Control"] = "no-cache"
        return response

    return worker


def liveness(request):
    """Liveness for a load balancer: this process serves and the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


def health(request):
    """Readiness for monitoring: 503 as soon as any part is down (database, cache, queue, storage,
    worker, radio bridge), with each part's state, so that a dead bridge cannot hide behind a live web."""
    from .health import run_checks

    checks = run_checks()
    healthy = all(state == "ok" for state in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "fail", "checks": checks}, status=200 if healthy else 503)
    response["Cache-Control"] = "no-store"
    return response


def set_structure_date(request):
    """Remember which day's administrative structure the user browses (POST as_of=YYYY-MM-DD)."""
    from .middleware import parse_date

    day = parse_date(request.POST.get("as_of"))
    if day is None:
        request.session.pop("as_of", None)
    else:
        request.session["as_of"] = day.isoformat()
    target = request.POST.get("next", "")
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""  # a path of this site only: a bare word would be taken for a view name and crash the redirect
    return redirect(target or "core:home")
