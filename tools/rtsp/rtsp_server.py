#!/usr/bin/python3
"""RTSP test camera server (GStreamer gst-rtsp-server) for EdgeAi tests, benchmarks and the demo.

Serves H.264 MP4 files as live RTSP streams, looping each file forever:

    /usr/bin/python3 tools/rtsp/rtsp_server.py --port 8554 --mount cam1=clips/a.mp4 --mount cam2=clips/b.mp4

Each mount is rtsp://127.0.0.1:PORT/NAME. Frames are paced in real time by the pipeline clock, so a
client sees a camera, not a file. Each file is read into memory once; each client session gets its own
pipeline, starting at the file's start.
Prints "READY <port>" on stdout once listening. Stop it with SIGTERM or SIGINT.
Needs Debian's gir1.2-gst-rtsp-server-1.0, python3-gi and gstreamer1.0-plugins-{good,bad}; run it with
/usr/bin/python3 (a pyenv python3 earlier on PATH lacks the gi module).
"""
import argparse
import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


class Clip:
    """A clip's H.264 access units, read once into memory (demuxed and parsed, not decoded)."""

    def __init__(self, path: str):
        pipeline = Gst.parse_launch(
            f'filesrc location="{path}" ! qtdemux ! h264parse ! video/x-h264,stream-format=avc,alignment=au '
            '! appsink name=sink sync=false')
        sink = pipeline.get_by_name("sink")
        pipeline.set_state(Gst.State.PLAYING)
        self.caps = None
        self.frames = []
        while True:
            sample = sink.emit("pull-sample")
            if sample is None:
                break
            self.caps = self.caps or sample.get_caps()
            buffer = sample.get_buffer()
            self.frames.append((buffer.extract_dup(0, buffer.get_size()), buffer.pts, buffer.dts,
                                buffer.duration, buffer.get_flags()))
        bus_error = pipeline.get_bus().pop_filtered(Gst.MessageType.ERROR)
        pipeline.set_state(Gst.State.NULL)
        if bus_error is not None or not self.frames:
            reason = bus_error.parse_error()[0].message if bus_error is not None else "no H.264 frames"
            raise ValueError(f"{path}: {reason}")
        last_duration = self.frames[-1][3]
        frame = last_duration if last_duration != Gst.CLOCK_TIME_NONE else Gst.SECOND // 25
        self.duration = max(pts for _, pts, _, _, _ in self.frames) + frame

    def buffer(self, index: int) -> Gst.Buffer:
        """The index-th access unit of an endless repetition of the clip, timestamps shifted per pass."""
        loop, frame = divmod(index, len(self.frames))
        data, pts, dts, duration, flags = self.frames[frame]
        offset = loop * self.duration
        buffer = Gst.Buffer.new_wrapped(data)
        buffer.pts = pts + offset
        buffer.dts = dts + offset if dts != Gst.CLOCK_TIME_NONE else dts
        buffer.duration = duration
        buffer.set_flags(flags)
        return buffer


def _feed_forever(clip: Clip):
    """Returns a media-configure handler that loops the clip through the media's appsrc.

    Every pass re-sends the same access units with timestamps shifted by the clip duration, so the
    camera never ends and its timestamps keep rising. Nothing seeks: seeking a pipeline that
    gst-rtsp-server is preparing or playing races with the client's DESCRIBE/PLAY and can make the
    server abort (gst_rtsp_media_get_rates) or deadlock."""

    def configure(factory, media):
        src = media.get_element().get_by_name("src")
        src.set_property("caps", clip.caps)
        position = {"index": 0}

        def need_data(appsrc, _length):
            appsrc.emit("push-buffer", clip.buffer(position["index"]))
            position["index"] += 1

        src.connect("need-data", need_data)

    return configure


def make_factory(clip: Clip) -> GstRtspServer.RTSPMediaFactory:
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( appsrc name=src format=time max-buffers=8 ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )"
    )
    # One pipeline per client session, each starting at the clip's start: sharing one media between
    # clients that come and go makes gst-rtsp-server re-prepare a media still being torn down.
    factory.set_shared(False)
    factory.connect("media-configure", _feed_forever(clip))
    return factory


def make_audio_factory() -> GstRtspServer.RTSPMediaFactory:
    """An audio-only live stream (a 440 Hz tone, G.711 mu-law): a source that is reachable and speaks RTSP but carries
    no video, as a misconfigured URL pointing at an intercom or a microphone channel would."""
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        "( audiotestsrc is-live=true wave=sine freq=440 ! audioconvert ! audioresample ! audio/x-raw,rate=8000,channels=1 "
        "! mulawenc ! rtppcmupay name=pay0 pt=0 )")
    factory.set_shared(False)
    return factory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--mount", action="append", default=[], metavar="NAME=FILE", help="serve FILE at /NAME")
    parser.add_argument("--audio-mount", action="append", default=[], metavar="NAME",
                        help="serve an audio-only stream (no video track) at /NAME")
    args = parser.parse_args()
    if not args.mount and not args.audio_mount:
        parser.error("at least one --mount NAME=FILE (or --audio-mount NAME) is required")

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for spec in args.mount:
        name, _, path = spec.partition("=")
        if not name or not path or not os.path.isfile(path):
            print(f"bad --mount {spec!r}: expected NAME=FILE with an existing file", file=sys.stderr)
            return 2
        try:
            clip = Clip(os.path.abspath(path))
        except (ValueError, GLib.Error) as error:
            print(f"bad --mount {spec!r}: {error}", file=sys.stderr)
            return 2
        mounts.add_factory("/" + name, make_factory(clip))
    for name in args.audio_mount:
        mounts.add_factory("/" + name, make_audio_factory())

    if server.attach(None) == 0:
        print(f"cannot listen on {args.address}:{args.port}", file=sys.stderr)
        return 3

    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    print(f"READY {args.port}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
