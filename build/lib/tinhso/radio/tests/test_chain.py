"""The priority chain: a matrix of what a speaker cluster does when something becomes eligible while
something else plays, plus the Circular 39 clash rule in the ranks the server computes."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tinhso.radio.chain import CHAIN, Item, chain_level, decide, finished, is_eligible, level_of_rank, rank_for

VN = ZoneInfo("Asia/Ho_Chi_Minh")
T0 = datetime(2026, 11, 23, 6, 0, tzinfo=VN)

RANKS = {
    "E": rank_for("emergency", "province"),
    "PP": rank_for("priority", "province"),
    "DP": rank_for("priority", "district"),
    "CP": rank_for("priority", "commune"),
    "VP": rank_for("priority", "village"),
    "N": rank_for("normal", "commune"),
    "R": rank_for("relay", "commune"),
    # the commune chose to play its own priority bulletins first (Circular 39 clash rule)
    "PP*": rank_for("priority", "province", commune_first=True),
    "CP*": rank_for("priority", "commune", commune_first=True),
    # the commune user placed these priority bulletins explicitly
    "PP@2": rank_for("priority", "province", position=2),
    "CP@1": rank_for("priority", "commune", position=1),
    "CP@3": rank_for("priority", "commune", position=3),
}


def item(spec: str, start: int = 0, end: int = 60, repeat: int = 1, done: int = 0) -> Item:
    """``spec`` is "<name>:<rank key>", e.g. "a:E"; times are minutes after 06:00."""
    name, key = spec.split(":")
    return Item(
        item=name,
        bulletin=ord(name[0]),
        level=key.rstrip("*").split("@")[0],
        rank=RANKS[key],
        starts_at=T0 + timedelta(minutes=start),
        expires_at=T0 + timedelta(minutes=end),
        kind="relay" if key == "R" else "audio",
        repeat=repeat,
        done=done,
    )


A_N, B_N = item("a:N"), item("b:N", start=1)
EM1, EM2 = item("e1:E"), item("e2:E", start=2)
PROV, COMM, RELAY = item("p:PP"), item("c:CP"), item("r:R", start=0, end=120)
PROV_CF, COMM_CF = item("p:PP*"), item("c:CP*")  # the commune chose commune_first
PROV_2, COMM_1, COMM_3 = item("p:PP@2"), item("c:CP@1"), item("c:CP@3")  # placed by the commune user

# (case, playing, playlist, now (minutes), expected play, expected stop, reason, requeue)
MATRIX = [
    ("idle, nothing at all", None, [], 5, None, None, None, False),
    ("idle, one normal becomes eligible", None, [A_N], 5, "a", None, None, False),
    ("idle, normal not yet started", None, [item("a:N", start=10)], 5, None, None, None, False),
    ("idle, two normals: earlier start first", None, [B_N, A_N], 5, "a", None, None, False),
    ("idle, same start: item id breaks the tie", None, [item("z:N"), item("y:N")], 5, "y", None, None, False),
    ("idle, emergency beats everything", None, [A_N, PROV, COMM, RELAY, EM1], 5, "e1", None, None, False),
    ("idle, province priority before commune priority", None, [COMM, PROV], 5, "p", None, None, False),
    ("idle, district priority counts as province", None, [COMM, item("d:DP")], 5, "d", None, None, False),
    ("idle, village priority counts as commune", None, [item("v:VP"), A_N], 5, "v", None, None, False),
    ("idle, relay only when nothing else", None, [RELAY, A_N], 5, "a", None, None, False),
    ("idle, relay alone plays", None, [RELAY], 5, "r", None, None, False),
    ("normal playing, emergency pre-empts", A_N, [A_N, EM1], 5, "e1", "a", "preempted", True),
    ("normal playing, province priority pre-empts", A_N, [A_N, PROV], 5, "p", "a", "preempted", True),
    ("normal playing, commune priority pre-empts", A_N, [A_N, COMM], 5, "c", "a", "preempted", True),
    ("normal playing, another normal waits", A_N, [A_N, B_N], 5, "a", None, None, False),
    ("normal playing, relay waits", A_N, [A_N, RELAY], 5, "a", None, None, False),
    ("relay playing, normal pre-empts, relay rejoins later", RELAY, [RELAY, A_N], 5, "a", "r", "preempted", True),
    ("relay playing, emergency pre-empts", RELAY, [RELAY, EM1], 5, "e1", "r", "preempted", True),
    ("commune priority playing, province priority pre-empts", COMM, [COMM, PROV], 5, "p", "c", "preempted", True),
    ("province priority playing, commune priority waits", PROV, [PROV, COMM], 5, "p", None, None, False),
    ("province priority playing, emergency pre-empts", PROV, [PROV, EM1], 5, "e1", "p", "preempted", True),
    ("emergency playing, province priority waits", EM1, [EM1, PROV], 5, "e1", None, None, False),
    ("emergency playing, a later emergency waits", EM1, [EM1, EM2], 5, "e1", None, None, False),
    ("emergency corrected: old removed, update plays", EM1, [EM2], 5, "e2", "e1", "cancelled", False),
    (
        "clash, commune first: own priority waits no more",
        None,
        [PROV_CF, COMM_CF],
        5,
        "c",
        None,
        None,
        False,
    ),
    (
        "clash, commune first: province waits for own",
        COMM_CF,
        [COMM_CF, PROV_CF],
        5,
        "c",
        None,
        None,
        False,
    ),
    (
        "clash, placed commune bulletin before province",
        None,
        [PROV_2, COMM_1],
        5,
        "c",
        None,
        None,
        False,
    ),
    (
        "clash, placed province before later-placed commune",
        None,
        [COMM_3, PROV_2],
        5,
        "p",
        None,
        None,
        False,
    ),
    ("clash, placed bulletins before unplaced ones", None, [PROV, COMM_3], 5, "c", None, None, False),
    (
        "clash, user order pre-empts within the band",
        COMM_3,
        [COMM_3, PROV_2],
        5,
        "p",
        "c",
        "preempted",
        True,
    ),
    ("cancel while playing, nothing else", A_N, [], 5, None, "a", "cancelled", False),
    ("cancel while playing, next normal follows", A_N, [B_N], 5, "b", "a", "cancelled", False),
    ("cancel of emergency, relay rejoins", EM1, [RELAY], 5, "r", "e1", "cancelled", False),
    ("expiry is a hard stop", A_N, [A_N, B_N], 60, None, "a", "expired", False),
    ("expiry hands over to a later bulletin", A_N, [A_N, item("b:N", end=90)], 60, "b", "a", "expired", False),
    ("expired item never starts", None, [item("a:N", end=4)], 5, None, None, None, False),
    ("relay window closed: no rejoin", None, [item("r:R", end=4)], 5, None, None, None, False),
    ("relay window ends while playing", RELAY, [RELAY], 120, None, "r", "expired", False),
    ("repetitions used up: not played again", None, [item("a:N", repeat=3, done=3)], 5, None, None, None, False),
    ("repetitions left: played again", None, [item("a:N", repeat=3, done=2)], 5, "a", None, None, False),
    (
        "pre-empted audio keeps its finished count",
        item("a:N", repeat=3, done=1),
        [item("a:N", repeat=3, done=1), EM1],
        5,
        "e1",
        "a",
        "preempted",
        True,
    ),
]


@pytest.mark.parametrize(
    ("playing", "playlist", "minute", "play", "stop", "reason", "requeue"),
    [case[1:] for case in MATRIX],
    ids=[case[0] for case in MATRIX],
)
def test_what_a_cluster_does_now(playing, playlist, minute, play, stop, reason, requeue):
    decision = decide(playing, playlist, T0 + timedelta(minutes=minute))

    assert (decision.play.item if decision.play else None) == play
    assert (decision.stop.item if decision.stop else None) == stop
    assert decision.reason == reason
    assert decision.requeue == requeue


def test_the_matrix_has_at_least_thirty_cases():
    assert len(MATRIX) >= 30


def test_a_preempted_bulletin_is_replayed_from_its_start_after_the_emergency():
    """The emergency finishes; the interrupted normal bulletin plays again, its repetition not counted."""
    normal = item("a:N", repeat=2, done=0)
    emergency = item("e1:E")
    decision = decide(normal, [normal, emergency], T0 + timedelta(minutes=5))
    assert decision.play == emergency

    after = decide(None, [normal, finished(emergency)], T0 + timedelta(minutes=6))

    assert after.play == normal
    assert after.play.done == 0


def test_repeating_counts_each_finished_play_until_the_bulletin_is_done():
    bulletin = item("a:N", repeat=3)
    now = T0 + timedelta(minutes=5)
    plays = 0
    while (decision := decide(None, [bulletin], now)).play:
        plays += 1
        bulletin = finished(decision.play)
    assert plays == 3


def test_a_relay_never_runs_out_of_repetitions():
    relay = item("r:R", end=120)
    assert finished(finished(relay)) == relay


@pytest.mark.parametrize(
    ("level", "origin", "expected"),
    [
        ("emergency", "village", "emergency"),
        ("priority", "province", "province_priority"),
        ("priority", "district", "province_priority"),
        ("priority", "commune", "commune_priority"),
        ("priority", "village", "commune_priority"),
        ("normal", "province", "normal"),
        ("relay", "commune", "relay"),
    ],
)
def test_chain_level_follows_the_senders_unit(level, origin, expected):
    assert chain_level(level, origin) == expected


def test_ranks_follow_the_chain_order():
    ranks = [RANKS[key] for key in ("E", "PP", "CP", "N", "R")]
    assert ranks == sorted(ranks)
    assert len(set(ranks)) == len(CHAIN)


def test_commune_first_swaps_only_the_two_priority_levels():
    assert RANKS["CP*"] < RANKS["PP*"]
    assert RANKS["E"] < RANKS["CP*"]
    assert RANKS["PP*"] < RANKS["N"]


def test_an_emergency_cannot_be_reordered_by_a_commune():
    assert rank_for("emergency", "province", commune_first=True, position=5) == RANKS["E"]


@pytest.mark.parametrize(
    ("level", "origin", "position"),
    [("loud", "commune", 0), ("normal", "hamlet", 0), ("priority", "commune", 100), ("priority", "commune", -1)],
)
def test_unknown_values_are_refused(level, origin, position):
    with pytest.raises(ValueError):
        rank_for(level, origin, position=position)


@pytest.mark.parametrize(
    ("key", "expected"), [("E", "emergency"), ("PP", "priority"), ("CP@1", "priority"), ("N", "normal"), ("R", "relay")]
)
def test_level_of_rank(key, expected):
    assert level_of_rank(RANKS[key]) == expected


def test_an_item_is_eligible_from_its_start_until_just_before_it_expires():
    bulletin = item("a:N", start=0, end=60)
    assert is_eligible(bulletin, T0)
    assert is_eligible(bulletin, T0 + timedelta(minutes=59, seconds=59))
    assert not is_eligible(bulletin, T0 + timedelta(minutes=60))
    assert not is_eligible(bulletin, T0 - timedelta(seconds=1))
