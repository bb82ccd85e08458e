"""Answers from a plain HTML form (the attempt page works without script)."""

from .choices import QuestionKind


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
