"""Builders for learning tests: questions of every kind, a published contest, a finished attempt."""

import datetime

from django.utils import timezone

from tinhso.learning.choices import QuestionKind
from tinhso.learning.models import Contest, Question, QuestionPool

DATA = {
    QuestionKind.SINGLE: {"choices": [{"text": "Đúng", "fraction": 100}, {"text": "Sai", "fraction": 0}]},
    QuestionKind.MULTIPLE: {
        "choices": [{"text": "A", "fraction": 50}, {"text": "B", "fraction": 50}, {"text": "C", "fraction": -100}]
    },
    QuestionKind.TRUE_FALSE: {"answer": True},
    QuestionKind.SHORT: {"answers": [{"text": "VNeID", "fraction": 100}]},
    QuestionKind.NUMERIC: {"answers": [{"value": 1356, "tolerance": 0, "fraction": 100}]},
    QuestionKind.MATCHING: {"pairs": [{"left": "DTI", "right": "Chỉ số"}, {"left": "5G", "right": "Mạng"}]},
}


def make_question(unit, kind=QuestionKind.SINGLE, *, topic="CĐS", domain=1, level=1, text=None, data=None):
    return Question.objects.create(
        unit=unit,
        kind=kind,
        text=text or f"Câu hỏi {kind}",
        data=data or DATA[kind],
        topic=topic,
        domain=domain,
        level=level,
    )


def make_contest(unit, *, questions=3, attempts_allowed=3, minutes=30, published=True, **fields):
    now = timezone.now()
    contest = Contest.objects.create(
        unit=unit,
        title=fields.pop("title", "Tìm hiểu chuyển đổi số"),
        opens_at=fields.pop("opens_at", now - datetime.timedelta(days=1)),
        closes_at=fields.pop("closes_at", now + datetime.timedelta(days=7)),
        time_limit_minutes=minutes,
        attempts_allowed=attempts_allowed,
        is_published=published,
        **fields,
    )
    QuestionPool.objects.create(contest=contest, count=questions)
    return contest


def stock_bank(unit, count=5, kind=QuestionKind.SINGLE):
    return [make_question(unit, kind, text=f"Câu {index}") for index in range(count)]
