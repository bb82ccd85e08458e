"""Bulletins and their audio: validation, speech and uploads, drafts, the pronunciation dictionary, boards.

Speech and file conversion are slow (seconds): they run before any transaction or row lock is taken,
then the result is stored in a short transaction.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tinhso.core.permissions import require
from tinhso.units.models import Unit

from .. import audio, schedule
from ..choices import BulletinKind, BulletinLevel, BulletinStatus
from ..models import Board, Bulletin, PronunciationEntry
from .clusters import sender_unit_for, target_problems

MAX_TEXT = 5000
EMERGENCY_REPEAT = 3
BULLETIN_FIELDS = (
    "title",
    "text",
    "level",
    "voice",
    "rate",
    "chime",
    "send_at",
    "recurrence",
    "expires_at",
    "repeat",
    "position",
    "stream_url",
)


def number(value: int) -> str:
    """1356 -> 1.356 (Vietnamese thousands separator) for messages."""
    return f"{value:,}".replace(",", ".")


def _text_problems(bulletin: Bulletin) -> list[str]:
    length = len(bulletin.text.strip())
    if bulletin.kind == BulletinKind.TEXT and length == 0:
        return [_("Write the text of the bulletin.")]
    if length > MAX_TEXT:
        return [
            _("The text is too long: %(count)s characters, at most %(limit)s.")
            % {"count": number(length), "limit": number(MAX_TEXT)}
        ]
    return []


def _content_problems(bulletin: Bulletin, *, has_upload: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not bulletin.title.strip():
        errors["title"] = [_("Give the bulletin a title.")]
    text = _text_problems(bulletin)
    if text:
        errors["text"] = text
    if bulletin.kind in (BulletinKind.AUDIO, BulletinKind.RECORDING) and not (has_upload or bulletin.audio_sha256):
        errors["audio"] = [_("Choose an audio file or record one.")]
    if bulletin.kind == BulletinKind.RELAY:
        if not bulletin.stream_url:
            errors["stream_url"] = [_("Give the address of the stream to relay.")]
        if not bulletin.expires_at:
            errors["expires_at"] = [_("A relay needs the end of its time window.")]
    return errors


def validate_bulletin(bulletin: Bulletin, *, actor, units, clusters, now, has_upload=False) -> None:
    errors = _content_problems(bulletin, has_upload=has_upload)
    try:
        schedule.validate_schedule(bulletin.send_at, bulletin.recurrence, bulletin.expires_at, now=now)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if not units and not clusters:
        errors.setdefault("targets", []).append(_("Choose at least one village, commune or speaker cluster."))
    targets = target_problems(actor, units, clusters)
    if targets:
        errors.setdefault("targets", []).extend(targets)
    try:
        bulletin.full_clean(exclude=["unit", "audio", "fallback", "text", "title"])
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _render_text(bulletin: Bulletin) -> None:
    try:
        spoken = audio.speak(bulletin)
    except audio.audio_error_types() as error:
        raise ValidationError({"text": [str(error)]}) from error
    _attach(bulletin, spoken)
    bulletin.reading = spoken.text


def _attach(bulletin: Bulletin, spoken) -> None:
    bulletin.audio.name = audio.store(spoken)
    bulletin.audio_sha256 = spoken.sha256
    bulletin.duration = spoken.duration


def _convert_upload(upload, field: str):
    data = upload.read()
    try:
        return audio.convert(data, upload.name or "audio")
    except audio.audio_error_types() as error:
        raise ValidationError({field: [str(error)]}) from error


def render_audio(bulletin: Bulletin, *, upload=None, fallback=None) -> None:
    """Turn the bulletin's content into what devices play: speech, a converted file, or a relay's fallback."""
    if bulletin.kind == BulletinKind.TEXT:
        _render_text(bulletin)
    elif bulletin.kind in (BulletinKind.AUDIO, BulletinKind.RECORDING) and upload is not None:
        _attach(bulletin, _convert_upload(upload, "audio"))
    if bulletin.kind == BulletinKind.RELAY and fallback is not None:
        spoken = _convert_upload(fallback, "fallback")
        bulletin.fallback.name = audio.store(spoken)
        bulletin.fallback_sha256 = spoken.sha256


def _apply_level_defaults(bulletin: Bulletin, *, repeat_given: bool, now) -> None:
    # J-Alert practice: an emergency plays at once, at full volume, three times unless told otherwise.
    if bulletin.level == BulletinLevel.EMERGENCY:
        bulletin.send_at = None if bulletin.send_at is None or bulletin.send_at <= now else bulletin.send_at
        if not repeat_given:
            bulletin.repeat = EMERGENCY_REPEAT


def prepare_bulletin(
    *,
    actor,
    title: str,
    text: str = "",
    level: str = BulletinLevel.NORMAL,
    targets=(),
    clusters=(),
    unit: Unit | None = None,
    kind: str = BulletinKind.TEXT,
    upload=None,
    fallback=None,
    now=None,
    **fields,
) -> tuple[Bulletin, list, list]:
    """A new bulletin checked and with its audio rendered, not yet saved: (bulletin, target units, clusters).

    No transaction is open here: speech takes seconds and must not hold a connection's locks meanwhile.
    """
    now = now or timezone.now()
    unit = unit or sender_unit_for(actor)
    if unit is None:
        raise PermissionDenied(_("You do not have permission to do this for this administrative unit."))
    repeat_given = fields.get("repeat") is not None
    fields = {name: value for name, value in fields.items() if value is not None}
    bulletin = Bulletin(unit=unit, title=(title or "").strip(), text=(text or "").strip(), level=level, kind=kind)
    for name, value in fields.items():
        setattr(bulletin, name, value)
    bulletin.created_by = actor
    require(actor, "radio.add_bulletin", bulletin)
    _apply_level_defaults(bulletin, repeat_given=repeat_given, now=now)
    units, clusters = list(targets), list(clusters)
    validate_bulletin(bulletin, actor=actor, units=units, clusters=clusters, now=now, has_upload=upload is not None)
    render_audio(bulletin, upload=upload, fallback=fallback)
    return bulletin, units, clusters


def save_prepared(bulletin: Bulletin, units, clusters) -> Bulletin:
    """Store a prepared bulletin with its targets (in one transaction)."""
    with transaction.atomic():
        bulletin.save()
        bulletin.target_units.set(units)
        bulletin.target_clusters.set(clusters)
    return bulletin


def create_bulletin(**arguments) -> Bulletin:
    """A bulletin ready to broadcast (audio rendered first, then saved); nothing is sent until broadcast()."""
    return save_prepared(*prepare_bulletin(**arguments))


def update_bulletin(
    bulletin: Bulletin, *, actor, targets=None, clusters=None, upload=None, fallback=None, now=None, **changes
):
    """Edit a bulletin not yet broadcast; re-renders the speech (before taking the row) when what is said changed."""
    now = now or timezone.now()
    require(actor, "radio.change_bulletin", bulletin)
    _require_draft(bulletin)
    unknown = set(changes) - set(BULLETIN_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    spoken_before = (bulletin.text, bulletin.voice, bulletin.rate, bulletin.chime)
    for name, value in changes.items():
        setattr(bulletin, name, value.strip() if isinstance(value, str) else value)
    units = list(targets) if targets is not None else list(bulletin.target_units.all())
    chosen = list(clusters) if clusters is not None else list(bulletin.target_clusters.all())
    validate_bulletin(bulletin, actor=actor, units=units, clusters=chosen, now=now, has_upload=upload is not None)
    spoken_changed = spoken_before != (bulletin.text, bulletin.voice, bulletin.rate, bulletin.chime)
    if spoken_changed or upload is not None or fallback is not None:
        render_audio(bulletin, upload=upload, fallback=fallback)
    with transaction.atomic():
        # Broadcast in the meantime? Then this edit is refused, not written over what is on air.
        _require_draft(Bulletin.objects.select_for_update(no_key=True).only("status").get(pk=bulletin.pk))
        bulletin.save()
        bulletin.target_units.set(units)
        bulletin.target_clusters.set(chosen)
    return bulletin


def _require_draft(bulletin: Bulletin) -> None:
    if bulletin.status != BulletinStatus.DRAFT:
        raise ValidationError(_("A bulletin already broadcast cannot be edited; cancel it and send a correction."))


@transaction.atomic
def save_pronunciation(*, actor, unit: Unit, written: str, spoken: str, entry=None) -> PronunciationEntry:
    entry = entry or PronunciationEntry(unit=unit)
    require(actor, "radio.change_pronunciationentry" if entry.pk else "radio.add_pronunciationentry", entry)
    entry.written, entry.spoken = (written or "").strip(), (spoken or "").strip()
    if not entry.written or not entry.spoken:
        raise ValidationError(_("Write both the word and how it is read."))
    foreign = _foreign_words(entry.spoken)
    if foreign:
        raise ValidationError(
            {
                "spoken": [
                    _("Not Vietnamese syllables (the speaker could switch language): %(words)s.")
                    % {"words": ", ".join(foreign)}
                ]
            }
        )
    clash = PronunciationEntry.objects.filter(unit=entry.unit, written=entry.written).exclude(pk=entry.pk)
    if clash.exists():
        raise ValidationError({"written": [_("This word is already in the dictionary.")]})
    entry.full_clean()
    entry.save()
    return entry


def _foreign_words(reading: str) -> list[str]:
    """Words espeak-ng would not read as Vietnamese (the speech package decides; none if it is not installed)."""
    try:
        check = getattr(audio.speech_module(), "foreign_words", None)
    except ImportError:
        return []
    return list(check(reading)) if check else []


@transaction.atomic
def delete_pronunciation(entry: PronunciationEntry, *, actor) -> None:
    require(actor, "radio.delete_pronunciationentry", entry)
    entry.delete()


# --- Boards ----------------------------------------------------------------------------------


@transaction.atomic
def create_board(*, actor, unit: Unit, name: str) -> Board:
    board = Board(unit=unit, name=(name or "").strip())
    require(actor, "radio.add_board", board)
    board.full_clean()
    board.save()
    return board


@transaction.atomic
def update_board(board: Board, *, actor, name: str) -> Board:
    require(actor, "radio.change_board", board)
    board.name = (name or "").strip()
    board.full_clean()
    board.save()
    return board


@transaction.atomic
def delete_board(board: Board, *, actor) -> None:
    require(actor, "radio.delete_board", board)
    board.delete()
