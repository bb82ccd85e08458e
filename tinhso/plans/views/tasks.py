import datetime

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from tinhso.core.views import ObjectDetailView, ObjectListView, ServiceFormView

from .. import services
from ..choices import EDITABLE_REPORT_STATUSES, ReportStatus, TaskEventKind, TaskKind, TaskStatus
from ..filtersets import TaskFilterSet
from ..forms import PlanForm, ScoreForm, TaskForm, TaskProgressForm
from ..models import Plan, Report, Task, TaskEvent
from ..tables import PlanTable, TaskTable
from .common import CancelMixin, PermissionSomewhereMixin
from .reports import show_errors

DUE_SOON_DAYS = 7


class TaskListView(ObjectListView):
    model = Task
    queryset = Task.objects.select_related("owner_organisation", "plan")
    filterset_class = TaskFilterSet
    table_class = TaskTable
    title = gettext_lazy("Tasks")
    add_url_name = "plans:task_add"
    add_permission = "plans.add_task"
    template_name = "plans/task_list.html"

    export_name = "nhiem-vu"


class TaskDetailView(ObjectDetailView):
    model = Task
    queryset = Task.objects.select_related("plan", "owner_organisation", "unit", "parent", "responsible_user")
    template_name = "plans/task_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        task, user = self.object, self.request.user
        context.update(
            missing=services.missing_clarities(task),
            subtasks=task.subtasks.select_related("owner_organisation"),
            updates=task.updates.select_related("reported_by").prefetch_related("evidence"),
            indicators=task.indicators.all(),
            can_change=user.has_perm("plans.change_task", task),
            can_publish=task.status == TaskStatus.DRAFT and user.has_perm("plans.publish_task", task),
            can_report=task.status != TaskStatus.DRAFT and _may_report(user, task),
            due_text=services.describe_due(task),
            title=str(task),
        )
        return context


def _may_report(user, task) -> bool:
    try:
        services._require_reporter(task, user)
    except PermissionDenied:
        return False
    return True


class TaskFormMixin:
    form_class = TaskForm

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def publish_requested(self) -> bool:
        return "publish" in self.request.POST


class TaskCreateView(PermissionSomewhereMixin, CancelMixin, TaskFormMixin, ServiceFormView):
    needed_permission = "plans.add_task"
    title = gettext_lazy("New task")
    template_name = "plans/task_form.html"

    def get_initial(self):
        return {
            "plan": self.request.GET.get("plan"),
            "parent": self.request.GET.get("parent"),
            "kind": TaskKind.KEY_TASK,
        }

    def perform(self, form):
        data = {name: value for name, value in form.cleaned_data.items() if name != "indicators"}
        task = services.create_task(
            actor=self.request.user,
            data=data,
            indicators=form.cleaned_data["indicators"],
            publish=self.publish_requested(),
        )
        messages.success(self.request, _("Task published.") if task.status != TaskStatus.DRAFT else _("Draft saved."))
        return task


class TaskEditView(TaskFormMixin, ServiceFormView):
    title = gettext_lazy("Edit task")
    template_name = "plans/task_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.task = get_object_or_404(Task.objects.restrict(request.user, "change"), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": Task.objects.get(pk=self.task.pk)}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "task": self.task, "cancel_url": self.task.get_absolute_url()}

    def perform(self, form):
        changes = {name: form.cleaned_data[name] for name in form.changed_data if name != "indicators"}
        task = services.update_task(
            self.task, actor=self.request.user, changes=changes, indicators=form.cleaned_data["indicators"]
        )
        if self.publish_requested() and task.status == TaskStatus.DRAFT:
            task = services.publish_task(task, actor=self.request.user)
        messages.success(self.request, _("Saved."))
        return task


class TaskPublishView(LoginRequiredMixin, View):
    def post(self, request, pk):
        task = get_object_or_404(Task.objects.restrict(request.user), pk=pk)
        try:
            services.publish_task(task, actor=request.user)
            messages.success(request, _("Task published."))
        except (ValidationError, PermissionDenied) as error:
            show_errors(request, error)
        return redirect(task.get_absolute_url())


class TaskProgressView(ServiceFormView):
    form_class = TaskProgressForm
    title = gettext_lazy("Report progress")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.task = get_object_or_404(Task.objects.restrict(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"progress": self.task.progress, "status": TaskStatus.IN_PROGRESS}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "cancel_url": self.task.get_absolute_url(), "task": self.task}

    def perform(self, form):
        data = form.cleaned_data
        update = services.post_task_update(
            self.task, actor=self.request.user, progress=data["progress"], status=data["status"], note=data["note"]
        )
        if data.get("file"):
            services.add_evidence(
                actor=self.request.user,
                task_update=update,
                file=data["file"],
                title=data["title"],
                document_number=data["document_number"],
                document_date=data["document_date"],
            )
        messages.success(self.request, _("Progress reported."))
        return self.task


class InboxView(LoginRequiredMixin, TemplateView):
    """What is due and overdue for the user's units and organisation: tasks and reports."""

    template_name = "plans/inbox.html"

    def tasks(self):
        user = self.request.user
        mine = Q(responsible_user=user)
        if user.organisation_id:
            mine |= Q(owner_organisation_id=user.organisation_id)
        mine |= Q(pk__in=Task.objects.restrict(user, "plans.change_task").values("pk"))
        return Task.objects.restrict(user).filter(mine).select_related("owner_organisation", "plan")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user, today = self.request.user, timezone.localdate()
        tasks = self.tasks()
        reports = Report.objects.restrict(user).select_related("unit", "data_set")
        context.update(
            overdue=tasks.overdue(today).order_by("due_date")[:100],
            due_soon=tasks.due_within(DUE_SOON_DAYS, today).order_by("due_date")[:100],
            reminders=TaskEvent.objects.filter(
                task__in=tasks, kind=TaskEventKind.REMINDER, day__gte=today - datetime.timedelta(days=7)
            ).select_related("task")[:20],
            to_submit=reports.filter(
                status__in=EDITABLE_REPORT_STATUSES, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS)
            )
            .restrict(user, "plans.submit_report")
            .order_by("due_date")[:50],
            to_approve=reports.filter(status=ReportStatus.SUBMITTED)
            .restrict(user, "plans.approve_report", path="unit__parent__path")
            .exclude(submitted_by=user)
            .order_by("due_date")[:50],
            today=today,
            title=_("Due and overdue"),
        )
        return context


class PlanListView(ObjectListView):
    model = Plan
    queryset = Plan.objects.select_related("unit")
    table_class = PlanTable
    filterset_class = None
    title = gettext_lazy("Plans")
    add_url_name = "plans:plan_add"
    add_permission = "plans.add_plan"

    def get_filterset_class(self):
        from tinhso.core.filtersets import FilterSet

        class PlanFilterSet(FilterSet):
            class Meta:
                model = Plan
                fields: list[str] = []

        return PlanFilterSet


class PlanDetailView(ObjectDetailView):
    model = Plan
    queryset = Plan.objects.select_related("unit", "issuer")
    template_name = "plans/plan_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        plan = self.object
        tasks = Task.objects.restrict(self.request.user).filter(plan=plan)
        counts = dict(tasks.values_list("kind").annotate(total=Count("pk")))
        context.update(
            kinds=[(kind, counts.get(kind.value, 0)) for kind in TaskKind],
            targets=plan.targets.select_related("indicator", "unit"),
            top_tasks=tasks.filter(parent__isnull=True)
            .select_related("owner_organisation")
            .order_by("kind", "code")[:200],
            overdue_count=tasks.overdue().count(),
            completed_count=tasks.filter(status=TaskStatus.COMPLETED).count(),
            task_count=tasks.count(),
            can_add_task=self.request.user.has_perm("plans.add_task", plan),
            title=str(plan),
        )
        return context


class PlanEditView(PermissionSomewhereMixin, CancelMixin, ServiceFormView):
    form_class = PlanForm
    title = gettext_lazy("Plan")

    def get_needed_permission(self) -> str:
        return "plans.change_plan" if "pk" in self.kwargs else "plans.add_plan"

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "user": self.request.user, "day": self.request.as_of}
        if "pk" in self.kwargs:
            kwargs["instance"] = get_object_or_404(
                Plan.objects.restrict(self.request.user, "change"), pk=self.kwargs["pk"]
            )
        return kwargs

    def perform(self, form):
        return services.save_plan(form.save(commit=False), actor=self.request.user)


class ScoreView(PermissionSomewhereMixin, CancelMixin, ServiceFormView):
    """Score communes, districts or departments with a criteria set; then read the explained results."""

    needed_permission = "scoring.add_evaluation"

    form_class = ScoreForm
    title = gettext_lazy("Score units")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_initial(self):
        return {"period": self.request.GET.get("period", "")}

    def perform(self, form):
        criteria_set, period = form.cleaned_data["criteria_set"], form.cleaned_data["period"].strip()
        evaluations = services.score_subjects(criteria_set, period, actor=self.request.user)
        messages.success(self.request, _("%(count)d evaluations computed.") % {"count": len(evaluations)})
        self.target = f"{reverse('scoring:evaluation_list')}?criteria_set={criteria_set.pk}&period={period}"
        return None

    def get_success_url(self, result=None):
        return self.target
