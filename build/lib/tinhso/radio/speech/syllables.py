"""Is a Latin-script word a Vietnamese syllable? espeak-ng's Vietnamese voice switches to English for
words it does not take as Vietnamese (including toneless syllables ending in c, ch, p, t, which
Vietnamese never has), so the normaliser must recognise real syllables and rewrite everything else.
"""

import re
import unicodedata

TONE_MARKS = {"\u0300": "huyền", "\u0301": "sắc", "\u0303": "ngã", "\u0309": "hỏi", "\u0323": "nặng"}
ONSETS = "ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|b|c|d|đ|g|h|k|l|m|n|p|r|s|t|v|x"
RHYME_TABLE = """
a ai ao au ay ac ach am an ang anh ap at ăc ăm ăn ăng ăp ăt âc âm ân âng âp ât âu ây
e ec em en eng eo ep et ê êch êm ên ênh êp êt êu
i ia ich im in inh ip it iu iêc iêm iên iêng iêp iêt iêu
o oc oi om on ong op ot oa oac oach oai oam oan oang oanh oao oap oat oay oăc oăm oăn oăng oăt
oe oen oeo oet ooc oong ô ôc ôi ôm ôn ông ôp ôt ơ ơi ơm ơn ơp ơt
u ua uc ui um un ung up ut uân uâng uât uây uê uêch uênh uơ uy uya uych uyên uyêt uynh uyt uyu
uôc uôi uôm uôn uông uôt ư ưa ưc ưi ưm ưn ưng ưt ưu ươc ươi ươm ươn ương ươp ươt ươu
y yêm yên yêng yêt yêu ynh yt ych
"""
RHYMES = RHYME_TABLE.split()


def _strip(text: str) -> str:
    return unicodedata.normalize("NFD", text.replace("đ", "d")).encode("ascii", "ignore").decode()


ASCII_RHYMES = {_strip(rhyme) for rhyme in RHYMES}


def _pattern(rhymes) -> re.Pattern:
    return re.compile(rf"^({ONSETS})?({'|'.join(sorted(rhymes, key=len, reverse=True))})$")


SYLLABLE = _pattern(RHYMES)
# Domain names and e-mail addresses are written without diacritics: 'yenbai' is still 'yên bái'.
ASCII_SYLLABLE = _pattern(ASCII_RHYMES)
# 'yen' is not a syllable espeak-ng accepts; the only rhyme it can stand for is 'yên'.
RESTORED_RHYMES = {
    ascii_rhyme: sorted(rhyme for rhyme in RHYMES if _strip(rhyme) == ascii_rhyme)[0]
    for ascii_rhyme in ASCII_RHYMES
    if ascii_rhyme not in RHYMES
}
VIETNAMESE_LETTERS = set("abcdefghijklmnopqrstuvwxyzđăâêôơư")


def split_tone(word: str) -> tuple[str, str | None]:
    """('toan', 'sắc') for 'toán': the base letters (with ă â ê ô ơ ư kept) and the tone mark."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    tone = next((TONE_MARKS[mark] for mark in decomposed if mark in TONE_MARKS), None)
    base = "".join(mark for mark in decomposed if mark not in TONE_MARKS)
    return unicodedata.normalize("NFC", base), tone


def is_syllable(word: str, *, ascii_only: bool = False) -> bool:
    """True for a well-formed Vietnamese syllable: 'toán', 'nghiêng', 'Yên'; False for 'net', 'Zalo', 'ok'."""
    base, tone = split_tone(word)
    match = (ASCII_SYLLABLE if ascii_only else SYLLABLE).match(base)
    if not match:
        return False
    onset, rhyme = match.group(1) or "", match.group(2)
    if rhyme[-1] in "cpt" or rhyme.endswith("ch"):
        return tone in ("sắc", "nặng")  # checked syllables carry only these two tones
    return _onset_fits(onset, rhyme)


def _onset_fits(onset: str, rhyme: str) -> bool:
    """Spelling rules: k/gh/ngh only before e ê i y; c/ng never, g only as 'gi' before them."""
    front = rhyme[0] in "eêiy"
    if onset in ("k", "gh", "ngh"):
        return front
    if onset in ("c", "ng") and front:
        return False
    if onset == "g" and rhyme[0] in "eê":
        return False
    if onset == "qu" and rhyme[0] in "uo":
        return False
    return not (rhyme.startswith("y") and onset not in ("", "qu") and rhyme != "y")


def segment(word: str) -> list[str] | None:
    """Split toneless run-together syllables (domain names: 'yenbai' -> ['yen', 'bai']), else None."""
    word = word.lower()
    best: dict[int, list[str]] = {0: []}
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 7), end):
            if start in best and is_syllable(word[start:end], ascii_only=True):
                candidate = best[start] + [word[start:end]]
                if end not in best or len(candidate) < len(best[end]):
                    best[end] = candidate
    found = best.get(len(word))
    return [_restore(syllable) for syllable in found] if found else None


def _restore(syllable: str) -> str:
    match = ASCII_SYLLABLE.match(syllable)
    if not match:
        return syllable
    onset, rhyme = (match.group(1) or ""), match.group(2)
    return onset + RESTORED_RHYMES.get(rhyme, rhyme)
