"""The categories page: the DX centre keeps the province's catalogue, a commune officer their commune's own
categories (list, add, edit, deactivate; a category is never deleted here). Scope: `restrict` on the category
permission; every write through services.save_category / set_category_active."""

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tinhso.units.choices import UnitLevel
from tinhso.units.models import Unit

from . import forms, services
from .models import ServiceCategory

CHANGE = "feedback.change_servicecategory"


def _units_for(user):
    today = timezone.localdate()
    valid = Q(valid_from__lte=today) & (Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    units = Unit.objects.restrict(user, "feedback.add_servicecategory").filter(valid)
    return units.filter(level__in=(UnitLevel.PROVINCE, UnitLevel.COMMUNE)).order_by("path")


@permission_required(CHANGE, raise_exception=True)
def category_list(request):
    categories = ServiceCategory.objects.restrict(request.user, CHANGE).select_related("unit")
    categories = categories.annotate(report_count=Count("reports")).order_by("unit__path", "order", "name")
    return render(request, "feedback/categories.html", {"categories": categories})


@permission_required("feedback.add_servicecategory", raise_exception=True)
def category_add(request):
    return _edit(request, ServiceCategory())


@permission_required(CHANGE, raise_exception=True)
def category_edit(request, pk):
    return _edit(request, get_object_or_404(ServiceCategory.objects.restrict(request.user, CHANGE), pk=pk))


def _edit(request, category):
    data = request.POST if request.method == "POST" else None
    initial = [forms.AttributeForm.initial_of(each) for each in category.attributes or []]
    units = _units_for(request.user)
    if category.pk is not None:  # its own unit stays a choice, even one that ended (a merged commune)
        units = Unit.objects.filter(Q(pk__in=units.values("pk")) | Q(pk=category.unit_id)).order_by("path")
    form = forms.CategoryForm(data, instance=category, units=units)
    attribute_forms = forms.AttributeFormSet(data, initial=initial, prefix="attributes")
    if data is not None and form.is_valid() and attribute_forms.is_valid():
        category = form.save(commit=False)
        category.attributes = [
            each.definition() for each in attribute_forms if each.cleaned_data and not each.cleaned_data["DELETE"]
        ]
        try:
            services.save_category(actor=request.user, category=category)
        except ValidationError as error:
            _add_errors(form, error)
        except PermissionDenied as error:
            raise PermissionDenied(str(error)) from error
        else:
            messages.success(request, _("Saved."))
            return redirect("feedback:categories")
    context = {"form": form, "attribute_forms": attribute_forms, "category": category}
    return render(request, "feedback/category_form.html", context, status=400 if data is not None else 200)


def _add_errors(form, error: ValidationError) -> None:
    by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
    for field, texts in by_field.items():
        for text in texts:
            form.add_error(field if field in form.fields else None, text)


@require_POST
@permission_required(CHANGE, raise_exception=True)
def category_active(request, pk):
    category = get_object_or_404(ServiceCategory.objects.restrict(request.user, CHANGE), pk=pk)
    active = request.POST.get("active") == "1"
    services.set_category_active(category, actor=request.user, active=active)
    messages.success(request, _("Category activated.") if active else _("Category deactivated: offered nowhere."))
    return redirect("feedback:categories")
