"""Managers' pages: the question bank (list, edit, import from the page), contests and courses with lessons.
Each form goes to a service (which checks permission and validates); errors show on the form, nothing saved."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from tinhso.core.files import stored_file_response
from tinhso.core.filtersets import id_param
from tinhso.core.text import search_words
from tinhso.core.views import ServiceFormView

from . import selectors, services
from .choices import QuestionKind
from .formats import FormatError
from .forms import ContestForm, CourseForm, ImportForm, LessonForm, PoolFormSet, QuestionForm
from .models import Contest, Course, Lesson, Question


class ManagerMixin(LoginRequiredMixin):
    """Needs `permission` somewhere (a citizen gets 403); objects outside the manager's units are not found."""

    permission = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm(self.permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QuestionListView(ManagerMixin, TemplateView):
    permission = "learning.view_question"
    template_name = "learning/bank.html"

    def get(self, request, *args, **kwargs):
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=400 if context.get("error") else 200)

    def get_context_data(self, **kwargs):
        questions = Question.objects.restrict(self.request.user, "view").select_related("unit")
        query = self.request.GET
        domains = selectors.competence_domains()
        levels = selectors.competence_levels()
        coverage = selectors.bank_coverage(questions, levels)  # the whole bank the reader sees, not the filtered list
        search = search_words(query.get("q"))
        if search:
            questions = questions.filter(Q(text__icontains=search) | Q(name__icontains=search))
        if query.get("kind") in QuestionKind.values:
            questions = questions.filter(kind=query["kind"])
        if id_param(query.get("domain")) in dict(domains):
            questions = questions.filter(domain=id_param(query["domain"]))
        if id_param(query.get("level")) in dict(levels):
            questions = questions.filter(level=id_param(query["level"]))
        if topic := search_words(query.get("topic"))[:120]:
            questions = questions.filter(topic=topic)
        competence = search_words(query.get("competence"))
        if competence and not any(row.code == competence for row in coverage):
            # A hand-edited link: say so rather than show an empty bank as if it had no such questions.
            kwargs["error"] = gettext_lazy("Choose a component competence of the framework.")
            competence = ""
        if competence:
            questions = questions.filter(competences__code=competence)
        page = Paginator(questions.order_by("topic", "id"), 50).get_page(query.get("page"))
        return super().get_context_data(
            page=page,
            search=search,
            kinds=QuestionKind.choices,
            domains=domains,
            domain_names=dict(domains),
            levels=levels,
            level_names=dict(levels),
            selected_kind=query.get("kind", ""),
            selected_domain=query.get("domain", ""),
            selected_level=query.get("level", ""),
            selected_competence=competence,
            coverage=coverage,
            contests=Contest.objects.restrict(self.request.user, "view").order_by("-opens_at")[:50],
            courses=Course.objects.restrict(self.request.user, "view").order_by("title")[:50],
            **kwargs,
        )


class EditorFormView(ManagerMixin, ServiceFormView):
    """A ModelForm page: `model`, `form_class`, `save(instance)`; `pk` in the URL edits one in the user's units."""

    model: type = Question
    form_class: type = QuestionForm

    def get_object(self):
        if "pk" not in self.kwargs:
            return self.model()
        obj = get_object_or_404(self.model.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"])
        change = f"{self.model._meta.app_label}.change_{self.model._meta.model_name}"
        if not self.request.user.has_perm(change, obj):
            raise PermissionDenied
        return obj

    def get_form_kwargs(self):
        self.object = self.get_object()
        return {**super().get_form_kwargs(), "instance": self.object, "user": self.request.user}

    def perform(self, form):
        return self.save(form.save(commit=False), form)

    def get_success_url(self, result=None):
        return reverse("learning:bank")


class QuestionFormView(EditorFormView):
    permission = "learning.add_question"
    title = gettext_lazy("Question")

    def save(self, question, form):
        return services.save_question(
            question,
            actor=self.request.user,
            competences=form.cleaned_data["competences"],
            image=form.cleaned_data.get("image"),
            remove_image=form.cleaned_data.get("remove_image", False),
        )

    def form_invalid(self, form):
        # A refused upload reads as refused (400, as a lesson's); other mistakes redisplay the form as before.
        status = 400 if "image" in form.errors else 200
        return self.render_to_response(self.get_context_data(form=form), status=status)


class ContestFormView(EditorFormView):
    """A contest, a course's final quiz or a placement test, with its groups of questions drawn per attempt."""

    permission = "learning.add_contest"
    model = Contest
    form_class = ContestForm
    template_name = "learning/contest_form.html"
    title = gettext_lazy("Contest")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "pools" not in context:
            initial = [
                {"topic": p.topic, "domain": p.domain, "level": p.level, "count": p.count}
                for p in (self.object.pools.all() if self.object.pk else [])
            ]
            context["pools"] = PoolFormSet(prefix="pools", initial=initial)
        if self.object.pk:  # the link the organiser shares, with its QR
            context["share_url"] = self.request.build_absolute_uri(reverse("learning:contest", args=[self.object.pk]))
        return context

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        pools = PoolFormSet(request.POST, prefix="pools")
        if not (form.is_valid() and pools.is_valid()):
            return self.render_to_response(self.get_context_data(form=form, pools=pools))
        rows = [
            {key: value for key, value in row.items() if value not in (None, "")}
            for row in pools.cleaned_data
            if row.get("count")
        ]
        contest = form.save(commit=False)
        try:
            services.save_contest(
                contest,
                actor=request.user,
                pools=rows,
                organisations=form.cleaned_data["eligible_organisations"],
                units=form.cleaned_data["eligible_units"],
            )
        except ValidationError as error:
            from tinhso.core.views import _add_errors

            _add_errors(form, error)
            return self.render_to_response(self.get_context_data(form=form, pools=pools))
        except PermissionDenied as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form, pools=pools))
        return redirect("learning:bank")


class CourseFormView(EditorFormView):
    permission = "learning.add_course"
    model = Course
    form_class = CourseForm
    title = gettext_lazy("Course")

    def save(self, course, form):
        return services.save_course(course, actor=self.request.user, competences=form.cleaned_data["competences"])

    def get_success_url(self, result=None):
        return reverse("learning:course", args=[result.pk])


class QuestionImageView(ManagerMixin, View):
    """A question's image to whoever may change the question in the bank."""

    permission = "learning.change_question"

    def get(self, request, pk: int):
        question = get_object_or_404(Question.objects.restrict(request.user, "view"), pk=pk)
        if not request.user.has_perm("learning.change_question", question) or not question.image:
            raise Http404
        image = question.image
        return stored_file_response(image.name, content_type="image/jpeg", storage=image.storage)


class LessonFormView(EditorFormView):
    permission = "learning.change_course"
    model = Lesson
    form_class = LessonForm
    title = gettext_lazy("Lesson")

    def get_object(self):
        if "pk" in self.kwargs:
            lesson = get_object_or_404(Lesson.objects.restrict(self.request.user, "view"), pk=self.kwargs["pk"])
            course = lesson.course
        else:
            course = get_object_or_404(Course.objects.restrict(self.request.user, "view"), pk=self.kwargs["course"])
            last = course.lessons.order_by("-order").first()
            lesson = Lesson(course=course, order=(last.order + 1) if last else 1)
        if not self.request.user.has_perm("learning.change_course", course):
            raise PermissionDenied
        return lesson

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.pop("user")
        return kwargs

    def save(self, lesson, form):
        return services.save_lesson(
            lesson,
            actor=self.request.user,
            image=form.cleaned_data.get("image"),
            remove_image=form.cleaned_data.get("remove_image", False),
        )

    def form_invalid(self, form):
        # 400, not 200: a refused upload (not a photo, too large) must read as refused to scripts and proxies too.
        return self.render_to_response(self.get_context_data(form=form), status=400)

    def get_success_url(self, result=None):
        return reverse("learning:course", args=[result.course_id])


class ImportView(ManagerMixin, TemplateView):
    """Import a GIFT, Aiken or Moodle XML file from the page: every error with its line, nothing on error."""

    permission = "learning.add_question"
    template_name = "learning/import.html"

    def get_context_data(self, **kwargs):
        from .framework import current

        kwargs.setdefault("form", ImportForm(user=self.request.user))
        kwargs.setdefault("tags", current().hint())  # what the framework's tables hold now
        return super().get_context_data(**kwargs)

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, user=request.user)
        context: dict = {"form": form}
        if form.is_valid():
            data = form.cleaned_data
            try:
                text = services.read_upload(data["file"], data["format"])
                result = services.import_questions(
                    actor=request.user,
                    unit=data["unit"],
                    format_name=data["format"],
                    text=text,
                    dry_run=data["dry_run"],
                )
                context["result"] = result
            except FormatError as error:
                context["errors"] = error.errors
            except ValidationError as error:
                form.add_error("file", error)
            except PermissionDenied as error:
                form.add_error(None, str(error))
        status = 400 if context.get("errors") or form.errors else 200
        return render(request, self.template_name, self.get_context_data(**context), status=status)
