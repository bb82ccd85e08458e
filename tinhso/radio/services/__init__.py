"""The one write path of the smart radio, one module per aggregate.

credentials   device passwords and the hashes Mosquitto and the platform check
clusters      speaker clusters, the sender's unit, which targets a person may choose
bulletins     bulletins and their audio (speech, uploads), pronunciation dictionary, boards
outbox        PlaylistOutbox rows written with each change; the playlists the bridge publishes
broadcasting  deliveries in the relay chain's order, cancelling, re-ranking, the clock
reports       what devices report (status, play events, silence)
alerts        CAP 1.2 in and out

Pages, the API, commands and the MQTT bridge call these (`from tinhso.radio import services`). Web
requests never talk to the broker: a change devices must see writes PlaylistOutbox rows in its
transaction, and the bridge publishes them (see bridge.py). Slow work (speech, audio conversion) is
done before any transaction or row lock.
"""

from ..playlist import OPEN_DELIVERY_STATES
from .alerts import CapImport, export_cap, import_cap
from .broadcasting import (
    DEFAULT_VALIDITY,
    FULL_VOLUME,
    OCCURRENCE_VALIDITY,
    advance,
    broadcast,
    cancel,
    chain_input_level,
    commune_first_by_cluster,
    expire,
    rerank,
    send_now,
    set_commune_policy,
    set_position,
)
from .bulletins import (
    BULLETIN_FIELDS,
    EMERGENCY_REPEAT,
    MAX_TEXT,
    create_board,
    create_bulletin,
    delete_board,
    delete_pronunciation,
    number,
    prepare_bulletin,
    render_audio,
    save_prepared,
    save_pronunciation,
    update_board,
    update_bulletin,
)
from .clusters import CLUSTER_FIELDS, clusters_for, create_cluster, reset_password, sender_unit_for, update_cluster
from .credentials import (
    MOSQUITTO_ITERATIONS,
    authenticate_device,
    matches_mosquitto_hash,
    mosquitto_hash,
    new_password,
)
from .outbox import OUTBOX_CHANNEL, enqueue_playlists, next_playlist, next_playlists, publish_turn, unclaim
from .reports import (
    DELIVERY_STATE_AFTER_STOP,
    FINAL_DELIVERY_STATES,
    SERVER_DECIDED_STATES,
    _delivery_after_event,
    mark_offline,
    record_event,
    record_events,
    record_status,
    record_statuses,
    silent_clusters,
)

__all__ = [
    "BULLETIN_FIELDS",
    "CLUSTER_FIELDS",
    "DEFAULT_VALIDITY",
    "DELIVERY_STATE_AFTER_STOP",
    "EMERGENCY_REPEAT",
    "FINAL_DELIVERY_STATES",
    "FULL_VOLUME",
    "MAX_TEXT",
    "MOSQUITTO_ITERATIONS",
    "OCCURRENCE_VALIDITY",
    "OPEN_DELIVERY_STATES",
    "SERVER_DECIDED_STATES",
    "_delivery_after_event",
    "advance",
    "authenticate_device",
    "broadcast",
    "cancel",
    "chain_input_level",
    "clusters_for",
    "commune_first_by_cluster",
    "create_board",
    "create_bulletin",
    "create_cluster",
    "delete_board",
    "delete_pronunciation",
    "OUTBOX_CHANNEL",
    "enqueue_playlists",
    "expire",
    "export_cap",
    "import_cap",
    "CapImport",
    "mark_offline",
    "matches_mosquitto_hash",
    "mosquitto_hash",
    "new_password",
    "next_playlist",
    "next_playlists",
    "publish_turn",
    "unclaim",
    "number",
    "prepare_bulletin",
    "record_event",
    "record_events",
    "record_status",
    "record_statuses",
    "render_audio",
    "rerank",
    "reset_password",
    "save_prepared",
    "save_pronunciation",
    "send_now",
    "sender_unit_for",
    "set_commune_policy",
    "set_position",
    "silent_clusters",
    "update_board",
    "update_bulletin",
    "update_cluster",
]
