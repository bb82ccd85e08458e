from django.views.generic import TemplateView


class ContestListView(TemplateView):
    template_name = "learning/contest_list.html"
