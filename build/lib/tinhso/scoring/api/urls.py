from .views import CriteriaSetViewSet, EvaluationViewSet


def register(router):
    router.register("scoring/criteria-sets", CriteriaSetViewSet, basename="criteriaset")
    router.register("scoring/evaluations", EvaluationViewSet, basename="evaluation")
    return []
