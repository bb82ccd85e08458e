"""The speaker agent: the program on the small Linux board of each speaker cluster (cụm loa).

It follows the MQTT protocol v1 in docs/radio-protocol.md. It depends only on the standard library,
paho-mqtt and the ffmpeg/ffplay binaries, so it can be copied to a board without Django.
"""

__version__ = "1.0.0"
