import unicodedata


def fold(text: str) -> str:
    """Lower-case text without Vietnamese marks, for search that forgives missing accents.

    'Xã Xuân Ái' → 'xa xuan ai'; 'Đồng' → 'dong'.
    """
    text = (text or "").replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return " ".join(stripped.lower().split())


def short_date(day) -> str:
    """27/3/2024 — the way Vietnamese documents write a date."""
    return f"{day.day}/{day.month}/{day.year}"
