"""Procedural textures (numpy value noise, upsampled with PIL) and lighting LUTs.

Everything here works on whole arrays; there are no per-pixel Python loops.
"""
import numpy as np
from PIL import Image


def value_noise(rng, w, h, cell, octaves=3, persistence=0.5, aspect=1.0):
    """Smooth noise in [0,1], shape (h, w). `cell` is the coarsest feature size in px.
    `aspect` > 1 stretches features horizontally (water ripples)."""
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    c = float(cell)
    for _ in range(octaves):
        gw = max(2, int(w / (c * aspect)) + 2)
        gh = max(2, int(h / c) + 2)
        g = (rng.random((gh, gw)) * 255).astype(np.uint8)
        im = Image.fromarray(g, "L").resize((w, h), Image.BICUBIC)
        out += amp * (np.asarray(im, np.float32) / 255.0)
        total += amp
        amp *= persistence
        c = max(1.0, c / 2.0)
    return out / total


def grain(rng, w, h, amount):
    """Fine per-pixel grain, zero mean, int16."""
    return (rng.standard_normal((h, w)).astype(np.float32) * amount)


def colorize(noise, base, amp, rng=None, grain_arr=None):
    """noise (h,w) in [0,1] -> RGB float32 around `base` colour."""
    base = np.asarray(base, np.float32)
    n = (noise - 0.5)[..., None] * 2.0
    img = base[None, None, :] + n * np.asarray(amp, np.float32)[None, None, :]
    if grain_arr is not None:
        img += grain_arr[..., None]
    return img


def jitter_color(rng, c, amount=20):
    c = np.asarray(c, np.float32) + rng.uniform(-amount, amount, 3)
    return np.clip(c, 0, 255)


# ---------------------------------------------------------------- surfaces

def asphalt(rng, w, h):
    base = jitter_color(rng, (rng.uniform(60, 110),) * 3, 8)
    n = value_noise(rng, w, h, cell=rng.uniform(40, 120), octaves=3)
    img = colorize(n, base, (14, 14, 14), grain_arr=grain(rng, w, h, rng.uniform(5, 10)))
    # patches of repaired asphalt
    return img


def pavement(rng, w, h, horizon_y, vp_x):
    base = jitter_color(rng, (rng.uniform(140, 190), rng.uniform(135, 180), rng.uniform(125, 170)), 12)
    n = value_noise(rng, w, h, cell=rng.uniform(30, 90), octaves=3)
    img = colorize(n, base, (16, 16, 16), grain_arr=grain(rng, w, h, rng.uniform(3, 7)))
    # tile joints: horizontal lines with perspective spacing, vertical lines to a vanishing point
    ys = np.arange(h, dtype=np.float32)
    depth = np.clip((ys - horizon_y) / max(1.0, (h - horizon_y)), 0.02, 1.0)
    tile = rng.uniform(30, 60)
    # row index grows like 1/depth (perspective)
    rowf = (1.0 / depth) * (tile / 12.0)
    hline = (np.abs(rowf - np.round(rowf)) < 0.035 / depth.clip(0.2, 1)).astype(np.float32)
    xs = np.arange(w, dtype=np.float32)
    xx = (xs[None, :] - vp_x) / np.maximum(depth[:, None], 1e-3)
    colf = xx / (tile * 1.2)
    vline = (np.abs(colf - np.round(colf)) < 0.05).astype(np.float32)
    joints = np.clip(hline[:, None] + vline, 0, 1)
    dark = rng.uniform(18, 35)
    img -= joints[..., None] * dark
    return img


def grass(rng, w, h):
    base = jitter_color(rng, (rng.uniform(60, 100), rng.uniform(110, 150), rng.uniform(40, 70)), 15)
    n1 = value_noise(rng, w, h, cell=rng.uniform(60, 160), octaves=2)
    n2 = value_noise(rng, w, h, cell=4, octaves=1)
    img = colorize(n1, base, (25, 30, 15)) + (n2 - 0.5)[..., None] * np.array([30, 40, 20], np.float32)
    return img


def soil(rng, w, h):
    base = jitter_color(rng, (rng.uniform(110, 150), rng.uniform(90, 120), rng.uniform(60, 85)), 12)
    n = value_noise(rng, w, h, cell=rng.uniform(20, 60), octaves=3)
    return colorize(n, base, (22, 18, 14), grain_arr=grain(rng, w, h, 6))


def stone(rng, w, h):
    base = jitter_color(rng, (rng.uniform(120, 165),) * 3, 10)
    n = value_noise(rng, w, h, cell=rng.uniform(10, 30), octaves=3)
    return colorize(n, base, (30, 30, 30), grain_arr=grain(rng, w, h, 5))


def water(rng, w, h):
    base = jitter_color(rng, (rng.uniform(40, 80), rng.uniform(80, 120), rng.uniform(100, 150)), 15)
    n1 = value_noise(rng, w, h, cell=rng.uniform(20, 40), octaves=3, aspect=6.0)
    n2 = value_noise(rng, w, h, cell=rng.uniform(80, 200), octaves=1)
    img = colorize(n1, base, (18, 22, 26)) + (n2 - 0.5)[..., None] * np.array([20, 20, 20], np.float32)
    # specular streaks
    spec = (n1 > rng.uniform(0.68, 0.75)).astype(np.float32) * rng.uniform(25, 50)
    img += spec[..., None]
    return img


def sky(rng, w, h):
    top = jitter_color(rng, (120, 160, 210), 25)
    bot = jitter_color(rng, (190, 205, 225), 20)
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    img = top[None, None, :] * (1 - t) + bot[None, None, :] * t
    img = np.broadcast_to(img, (h, w, 3)).copy()
    n = value_noise(rng, w, h, cell=rng.uniform(60, 150), octaves=2)
    img += (n[..., None] - 0.5) * 30
    return img


# ---------------------------------------------------------------- lighting

def lighting_lut(rng, strength=1.0):
    """Random brightness/contrast/gamma/colour-cast as a 768-entry table for Image.point."""
    gain = rng.uniform(0.6, 1.3) if strength > 0 else 1.0
    contrast = rng.uniform(0.7, 1.2) if strength > 0 else 1.0
    gamma = rng.uniform(0.8, 1.25) if strength > 0 else 1.0
    cast = rng.uniform(-0.08, 0.08, 3) if strength > 0 else np.zeros(3)
    return make_lut(gain, contrast, gamma, cast), dict(gain=float(gain), contrast=float(contrast),
                                                         gamma=float(gamma), cast=[float(c) for c in cast])


def make_lut(gain, contrast, gamma, cast):
    x = np.arange(256, dtype=np.float32) / 255.0
    tables = []
    for c in range(3):
        y = np.power(x, gamma)
        y = (y - 0.5) * contrast + 0.5
        y = y * gain * (1.0 + cast[c])
        tables.append(np.clip(np.round(y * 255), 0, 255).astype(np.uint8))
    return np.concatenate(tables).tolist()


def to_uint8(img):
    return np.clip(img, 0, 255).astype(np.uint8)
