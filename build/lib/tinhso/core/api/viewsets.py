from rest_framework import viewsets


class ScopedViewSetMixin:
    """Querysets are restricted to the caller's units: objects out of scope are simply not there (404)."""

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, "view")


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    """Writes go through the domain's services; subclasses implement perform_create/update/destroy."""
