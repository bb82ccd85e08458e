"""The demo seeds speaker clusters with live statuses, bulletins and a board, once."""

from tinhso.radio.demo import seed_radio
from tinhso.radio.models import Board, Bulletin, SpeakerCluster


def test_the_demo_seeds_clusters_bulletins_and_a_board_once(tree):
    seed_radio()
    clusters = SpeakerCluster.objects.count()
    assert clusters >= 4 and Board.objects.count() == 1 and Bulletin.objects.exists()
    statuses = {cluster.status for cluster in SpeakerCluster.objects.all()}
    assert "online" in statuses and "offline" in statuses
    seed_radio()
    assert SpeakerCluster.objects.count() == clusters and Board.objects.count() == 1
