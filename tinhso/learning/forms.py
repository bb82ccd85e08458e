"""Answers from a plain HTML form (the attempt page works without script), and the managers' editor forms."""

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tinhso.core.text import clean_text
from tinhso.units.choices import UnitLevel
from tinhso.units.models import Organisation, Unit

from .choices import Purpose, QuestionKind
from .formats.registry import FORMATS
from .models import Competence, Contest, Course, Lesson, Question


def _integer(text: str):
    return int(text) if text.lstrip("-").isdigit() else text


def answers_from_post(questions: list[dict], post) -> dict:
    answers: dict = {}
    for question in questions:
        name = f"q-{question['id']}"
        kind = question["kind"]
        if kind == QuestionKind.MULTIPLE:
            values = post.getlist(name)
            if values:
                answers[str(question["id"])] = [_integer(v) for v in values]
        elif kind == QuestionKind.MATCHING:
            values = [post.get(f"{name}-{index}") or None for index in range(len(question["lefts"]))]
            if any(values):
                answers[str(question["id"])] = values
        elif post.get(name, "") != "":
            value = post[name]
            if kind == QuestionKind.SINGLE:
                value = _integer(value)
            elif kind == QuestionKind.TRUE_FALSE:
                value = {"true": True, "false": False}.get(value, value)
            answers[str(question["id"])] = value
    return answers


# --- editor forms (managers) ------------------------------------------------------------------------------


MULTILINE = ("text", "answers", "description", "summary", "body")
MANAGED_LEVELS = (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE)


def managed_units(user, permission: str):
    return Unit.objects.restrict(user, permission).valid_on().filter(level__in=MANAGED_LEVELS).order_by("path")


def competence_domains():
    from .selectors import competence_domains as domains

    return domains()


def competence_levels():
    from .selectors import competence_levels as levels

    return levels()


def level_field() -> forms.TypedChoiceField:
    """One of the framework's levels as its table holds them now (or none)."""
    return forms.TypedChoiceField(
        label=gettext_lazy("Competence level"),
        choices=lambda: [("", "—"), *competence_levels()],
        coerce=int,
        empty_value=None,
        required=False,
    )


def framework_fields(form) -> None:
    """The domain is one of the framework's domains, the competences its component competences, the level one of
    its levels, as kept."""
    form.fields["level"] = level_field()
    form.fields["domain"] = forms.TypedChoiceField(
        label=gettext_lazy("Competence domain"),
        choices=[("", "—"), *competence_domains()],
        coerce=int,
        empty_value=None,
        required=False,
    )
    form.fields["competences"].widget = forms.CheckboxSelectMultiple()
    form.fields["competences"].queryset = Competence.objects.select_related(
        "domain"
    )  # also gives the widget its choices


class TextCleaningMixin:
    """Text is NFC and refuses invisible, bidi and control characters (core/text.py)."""

    text_fields: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()  # type: ignore[misc]
        for name in self.text_fields:
            if data.get(name):
                try:
                    data[name] = clean_text(data[name], multiline=name in MULTILINE)
                except forms.ValidationError as error:
                    self.add_error(name, error)  # type: ignore[attr-defined]
        return data


def answers_text(question: Question) -> str:
    """A question's answers in the editor's notation (see ANSWERS_HELP)."""
    kind, data = question.kind, question.data
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        return "\n".join(("* " if c["fraction"] > 0 else "") + c["text"] for c in data.get("choices", []))
    if kind == QuestionKind.TRUE_FALSE:
        return "true" if data.get("answer") else "false"
    if kind == QuestionKind.SHORT:
        return "\n".join(a["text"] for a in data.get("answers", []))
    if kind == QuestionKind.NUMERIC:
        return "\n".join(f"{a['value']} ± {a.get('tolerance', 0)}" for a in data.get("answers", []))
    return "\n".join(f"{p['left']} = {p['right']}" for p in data.get("pairs", []))


def data_from_text(kind: str, text: str) -> dict:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        marked = [line.startswith("*") for line in lines]
        right = sum(marked)
        if right == 0:
            raise forms.ValidationError(_("Mark the right choice with * at the start of its line."))
        if kind == QuestionKind.SINGLE and right != 1:
            raise forms.ValidationError(_("A single-choice question has exactly one right choice."))
        wrong = -100 if kind == QuestionKind.MULTIPLE else 0
        share = 100 / right
        return {
            "choices": [
                {"text": line.lstrip("*").strip(), "fraction": round(share, 5) if is_right else wrong}
                for line, is_right in zip(lines, marked, strict=True)
            ]
        }
    if kind == QuestionKind.TRUE_FALSE:
        value = " ".join(lines).casefold()
        if value not in ("true", "false", "đúng", "sai"):
            raise forms.ValidationError(_("Write true or false."))
        return {"answer": value in ("true", "đúng")}
    if kind == QuestionKind.SHORT:
        return {"answers": [{"text": line, "fraction": 100} for line in lines]}
    if kind == QuestionKind.NUMERIC:
        answers = []
        for line in lines:
            value, _sep, tolerance = line.replace("+-", "±").partition("±")
            try:
                number = float(value.strip().replace(",", "."))
                margin = float(tolerance.strip().replace(",", ".") or 0)
            except ValueError:
                raise forms.ValidationError(_("Write a number, optionally followed by ± and a tolerance.")) from None
            if number != number or margin != margin or abs(number) == float("inf") or margin < 0:
                raise forms.ValidationError(_("Write a number, optionally followed by ± and a tolerance."))
            answers.append({"value": number, "tolerance": margin, "fraction": 100})
        return {"answers": answers}
    pairs = []
    for line in lines:
        left, sep, right = line.partition("=")
        if not sep or not left.strip() or not right.strip():
            raise forms.ValidationError(_("Write each pair as: left item = right item."))
        pairs.append({"left": left.strip(), "right": right.strip()})
    return {"pairs": pairs}


ANSWERS_HELP = gettext_lazy(
    "One per line. Choices: put * before each right one. True/false: true or false. Short answer: every accepted "
    "answer. Numeric: 1356 or 1356 ± 5. Matching: left item = right item."
)


def image_field() -> forms.FileField:
    # A plain file field: the service (core.images) says in Vietnamese what is wrong with a file, not Django.
    return forms.FileField(
        label=gettext_lazy("Image"),
        required=False,
        help_text=gettext_lazy("A photo (JPEG, PNG, WebP, HEIC) up to 10 MB; it is shrunk to 1,280 px."),
        widget=forms.FileInput(attrs={"accept": "image/*"}),
    )


class QuestionForm(TextCleaningMixin, forms.ModelForm):
    text_fields = ("name", "text", "topic", "answers", "image_caption")
    answers = forms.CharField(
        label=gettext_lazy("Answers"), widget=forms.Textarea(attrs={"rows": 6}), help_text=ANSWERS_HELP
    )
    image = image_field()
    remove_image = forms.BooleanField(label=gettext_lazy("Remove the uploaded image"), required=False)

    class Meta:
        model = Question
        fields = [
            "unit",
            "kind",
            "text",
            "answers",
            "image_caption",
            "name",
            "topic",
            "domain",
            "level",
            "competences",
            "is_active",
        ]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    field_order = ["unit", "kind", "text", "image", "remove_image", "image_caption", "answers"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.image:
            del self.fields["remove_image"]
        self.fields["unit"].queryset = managed_units(user, "learning.add_question")
        framework_fields(self)
        if self.instance.pk:
            self.fields["answers"].initial = answers_text(self.instance)

    def clean(self):
        data = super().clean()
        if data.get("kind") and data.get("answers") and "answers" not in self.errors:
            try:
                self.instance.data = data_from_text(data["kind"], data["answers"])
            except forms.ValidationError as error:
                self.add_error("answers", error)
        return data

    def _update_errors(self, errors):
        """The model checks the answers (`data`, by check_data): show its complaints next to them."""
        if hasattr(errors, "error_dict") and "data" in errors.error_dict:
            errors.error_dict.setdefault("answers", []).extend(errors.error_dict.pop("data"))
        super()._update_errors(errors)


class ImportForm(forms.Form):
    unit = forms.ModelChoiceField(label=gettext_lazy("Bank owner"), queryset=Unit.objects.none())
    format = forms.ChoiceField(label=gettext_lazy("Format"), choices=[(name, name.upper()) for name in FORMATS])
    file = forms.FileField(label=gettext_lazy("File"))
    dry_run = forms.BooleanField(label=gettext_lazy("Check only, import nothing"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = managed_units(user, "learning.add_question")


class ContestForm(TextCleaningMixin, forms.ModelForm):
    text_fields = ("title", "description")

    class Meta:
        model = Contest
        fields = [
            "unit",
            "purpose",
            "title",
            "description",
            "opens_at",
            "closes_at",
            "time_limit_minutes",
            "attempts_allowed",
            "grading",
            "shuffle_questions",
            "shuffle_choices",
            "review",
            "eligibility",
            "eligible_organisations",
            "eligible_units",
            "is_published",
        ]
        widgets = {
            "opens_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "closes_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = managed_units(user, "learning.add_contest")
        for name in ("opens_at", "closes_at"):
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]
        self.fields["eligible_organisations"].queryset = Organisation.objects.order_by("name")
        self.fields["eligible_units"].queryset = (
            Unit.objects.valid_on().filter(level__in=MANAGED_LEVELS).order_by("path")
        )
        self.fields["eligible_organisations"].required = self.fields["eligible_units"].required = False


class PoolForm(forms.Form):
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=120, required=False)
    domain = forms.TypedChoiceField(
        label=gettext_lazy("Competence domain"),
        choices=lambda: [("", "—"), *competence_domains()],
        coerce=int,
        empty_value=None,
        required=False,
    )
    level = level_field()
    count = forms.IntegerField(label=gettext_lazy("Number of questions"), min_value=1, max_value=200, required=False)


PoolFormSet = forms.formset_factory(PoolForm, extra=3, max_num=20, absolute_max=20, validate_max=True)


class CourseForm(TextCleaningMixin, forms.ModelForm):
    text_fields = ("title", "summary")

    class Meta:
        model = Course
        fields = [
            "unit",
            "title",
            "summary",
            "domain",
            "level",
            "competences",
            "quiz",
            "pass_percent",
            "is_basic",
            "is_published",
        ]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = managed_units(user, "learning.add_course")
        framework_fields(self)
        self.fields["quiz"].queryset = Contest.objects.restrict(user, "view").filter(purpose=Purpose.QUIZ)


class LessonForm(TextCleaningMixin, forms.ModelForm):
    text_fields = ("title", "body", "image_caption")
    image = image_field()
    remove_image = forms.BooleanField(label=gettext_lazy("Remove the uploaded image"), required=False)
    image_url = forms.URLField(
        label=gettext_lazy("image link"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("Or a link to an image elsewhere (shown when no image is uploaded)."),
    )
    video_url = forms.URLField(label=gettext_lazy("video link"), required=False, assume_scheme="https")

    class Meta:
        model = Lesson
        fields = ["order", "title", "body", "image_caption", "image_url", "video_url"]
        widgets = {"body": forms.Textarea(attrs={"rows": 10})}

    field_order = ["order", "title", "body", "image", "remove_image", "image_caption", "image_url", "video_url"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.image:
            del self.fields["remove_image"]


class LiveRoundForm(TextCleaningMixin, forms.Form):
    text_fields = ("title", "topic")
    unit = forms.ModelChoiceField(label=gettext_lazy("Organising unit"), queryset=Unit.objects.none())
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200)
    count = forms.IntegerField(label=gettext_lazy("Number of questions"), min_value=1, max_value=50, initial=10)
    seconds = forms.IntegerField(label=gettext_lazy("Seconds per question"), min_value=5, max_value=300, initial=20)
    topic = forms.CharField(label=gettext_lazy("Topic"), max_length=120, required=False)
    domain = forms.TypedChoiceField(
        label=gettext_lazy("Competence domain"),
        choices=lambda: [("", "—"), *competence_domains()],
        coerce=int,
        empty_value=None,
        required=False,
    )
    level = level_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = managed_units(user, "learning.add_liveround")
