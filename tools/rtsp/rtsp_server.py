#!/usr/bin/python3
"""RTSP test camera server (GStreamer gst-rtsp-server) for EdgeAi tests, benchmarks and the demo.

Serves H.264 MP4 files as live RTSP streams, looping each file forever:

    /usr/bin/python3 tools/rtsp/rtsp_server.py --port 8554 --mount cam1=clips/a.mp4 --mount cam2=clips/b.mp4

Each mount is rtsp://127.0.0.1:PORT/NAME. Frames are paced in real time by the pipeline clock, so a
client sees a camera, not a file. One media pipeline per mount is shared by all clients.
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


def _loop_forever(factory, media):
    """Loops the file gaplessly so the camera never ends and its timestamps keep rising: the demuxer plays
    the file as a *segment* (seek with the SEGMENT flag); at each SEGMENT_DONE it is sent back to the start
    with a non-flushing segment seek, so running time (and the RTP timestamps) continue across the loop.
    Seeks are issued from the main loop, never from the streaming thread."""
    element = media.get_element()
    demux = element.get_by_name("demux")
    pay = element.get_by_name("pay0")
    state = {"started": False}

    def seek(flags):
        demux.seek(1.0, Gst.Format.TIME, flags | Gst.SeekFlags.SEGMENT,
                   Gst.SeekType.SET, 0, Gst.SeekType.NONE, -1)
        return False

    def on_event(pad, info):
        event = info.get_event()
        if event.type == Gst.EventType.SEGMENT_DONE:
            GLib.idle_add(seek, Gst.SeekFlags.NONE)
            return Gst.PadProbeReturn.DROP
        if event.type == Gst.EventType.EOS:
            return Gst.PadProbeReturn.DROP
        return Gst.PadProbeReturn.OK

    def on_first_buffer(pad, info):
        if not state["started"]:
            state["started"] = True
            GLib.idle_add(seek, Gst.SeekFlags.FLUSH)
        return Gst.PadProbeReturn.REMOVE

    sink = pay.get_static_pad("sink")
    sink.add_probe(Gst.PadProbeType.EVENT_DOWNSTREAM, on_event)
    sink.add_probe(Gst.PadProbeType.BUFFER, on_first_buffer)


def make_factory(path: str) -> GstRtspServer.RTSPMediaFactory:
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(
        f'( filesrc location="{path}" ! qtdemux name=demux ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=1 )'
    )
    factory.set_shared(True)
    factory.set_eos_shutdown(False)
    factory.connect("media-configure", _loop_forever)
    return factory


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--mount", action="append", default=[], metavar="NAME=FILE", help="serve FILE at /NAME")
    args = parser.parse_args()
    if not args.mount:
        parser.error("at least one --mount NAME=FILE is required")

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
        mounts.add_factory("/" + name, make_factory(os.path.abspath(path)))

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
