"""Admin pages for support staff: scoped like every page, writes through the services."""

from django import forms
from django.contrib import admin

from tinhso.core.admin import ScopedAdmin

from . import services
from .models import Batch, Device, Product, Tree, TreePhoto


class ReadOnlyAdmin(ScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Tree)
class TreeAdmin(ReadOnlyAdmin):
    list_display = ["number", "garden", "estimated_age", "altitude_m", "status"]
    search_fields = ["number"]
    list_select_related = ["garden"]


class TreePhotoForm(forms.ModelForm):
    class Meta:
        model = TreePhoto
        fields = ["tree", "image", "caption"]


@admin.register(TreePhoto)
class TreePhotoAdmin(ScopedAdmin):
    form = TreePhotoForm
    list_display = ["tree", "caption"]
    autocomplete_fields = ["tree"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        saved = services.add_photo(
            form.cleaned_data["tree"], form.cleaned_data["image"], actor=request.user, caption=obj.caption
        )
        obj.pk = saved.pk


@admin.register(Product)
class ProductAdmin(ReadOnlyAdmin):
    list_display = ["name", "gtin", "ocop_stars"]


@admin.register(Batch)
class BatchAdmin(ReadOnlyAdmin):
    list_display = ["product", "lot", "packed_on", "is_recalled"]


@admin.register(Device)
class DeviceAdmin(ReadOnlyAdmin):
    list_display = ["device_id", "tree", "revoked_at"]
