"""OpenCV's nearest functions to vImage's pixel operations, timed like benches/ops.rs.

Run by `cargo bench --bench ops` when python3 can import cv2 and numpy (pip install numpy
opencv-python-headless); also runnable alone. 3840x2160, one thread (cv2.setNumThreads(1)),
each call timed alternately with a copy of (source bytes + destination bytes) / 2 in this
process; prints `name<TAB>ratio` lines, the ratio being the median of the per-pair ratios.
"""

import os
import sys
import time

import cv2
import numpy as np

W, H = 3840, 2160
REPS = int(os.environ.get("VIMAGE_BENCH_REPS", "11"))
cv2.setNumThreads(1)
rng = np.random.default_rng(7)


def u8(c):
    return rng.integers(0, 256, size=(H, W, c) if c > 1 else (H, W), dtype=np.uint8)


def alternate(f, nbytes):
    src = rng.integers(0, 256, size=nbytes, dtype=np.uint8)
    dst = np.empty_like(src)
    copy = lambda: np.copyto(dst, src)
    f()
    copy()
    ratios = []
    for i in range(REPS):
        order = (f, copy) if i % 2 == 0 else (copy, f)
        t = []
        for g in order:
            s = time.perf_counter()
            g()
            t.append(time.perf_counter() - s)
        a, b = (t[0], t[1]) if i % 2 == 0 else (t[1], t[0])
        ratios.append(a / b)
    ratios.sort()
    return ratios[len(ratios) // 2]


def case(name, srcs, dsts, f):
    nbytes = (sum(a.nbytes for a in srcs) + sum(a.nbytes for a in dsts)) // 2
    print(f"{name}\t{alternate(f, nbytes):.2f}", flush=True)


rgba, rgb, gray = u8(4), u8(3), u8(1)
out4, out3, out1 = np.empty_like(rgba), np.empty_like(rgb), np.empty_like(gray)
planes4 = [np.empty_like(gray) for _ in range(4)]
planes3 = [np.empty_like(gray) for _ in range(3)]
src_planes4 = [u8(1) for _ in range(4)]
src_planes3 = [u8(1) for _ in range(3)]
b565 = rng.integers(0, 65536, size=(H, W), dtype=np.uint16).view(np.uint8).reshape(H, W, 2)
out565 = np.empty((H, W, 2), dtype=np.uint8)
lut = np.array([(i * 7) % 256 for i in range(256)], dtype=np.uint8)
f32 = np.empty((H, W), dtype=np.float32)
f32src = rng.random((H, W), dtype=np.float32)

case("PermuteChannels_ARGB8888 {2,1,0,3}", [rgba], [out4], lambda: cv2.cvtColor(rgba, cv2.COLOR_RGBA2BGRA, dst=out4))
case("PremultiplyData_RGBA8888", [rgba], [out4], lambda: cv2.cvtColor(rgba, cv2.COLOR_RGBA2mRGBA, dst=out4))
case("UnpremultiplyData_RGBA8888", [rgba], [out4], lambda: cv2.cvtColor(rgba, cv2.COLOR_mRGBA2RGBA, dst=out4))
case("ARGB8888toRGB888", [rgba], [out3], lambda: cv2.cvtColor(rgba, cv2.COLOR_RGBA2RGB, dst=out3))
case("RGB888toARGB8888 (alpha 255)", [rgb], [out4], lambda: cv2.cvtColor(rgb, cv2.COLOR_RGB2RGBA, dst=out4))
case("ARGB8888toPlanar8", [rgba], planes4, lambda: cv2.split(rgba, planes4))
case("Planar8toARGB8888", src_planes4, [out4], lambda: cv2.merge(src_planes4, out4))
case("RGB888toPlanar8", [rgb], planes3, lambda: cv2.split(rgb, planes3))
case("Planar8toRGB888", src_planes3, [out3], lambda: cv2.merge(src_planes3, out3))
case("ExtractChannel_ARGB8888", [rgba], [out1], lambda: cv2.extractChannel(rgba, 3, out1))
case("TableLookUp_Planar8", [gray], [out1], lambda: cv2.LUT(gray, lut, out1))
case("TableLookUp_ARGB8888", [rgba], [out4], lambda: cv2.LUT(rgba, lut, out4))
case("RGB565toARGB8888", [b565], [out4], lambda: cv2.cvtColor(b565, cv2.COLOR_BGR5652BGRA, dst=out4))
case("ARGB8888toRGB565", [rgba], [out565], lambda: cv2.cvtColor(rgba, cv2.COLOR_BGRA2BGR565, dst=out565))
case("Planar8toPlanarF", [gray], [f32], lambda: cv2.multiply(gray, 1.0 / 255.0, f32, dtype=cv2.CV_32F))
case("PlanarFtoPlanar8", [f32src], [out1], lambda: cv2.convertScaleAbs(f32src, out1, 255.0))
case("BufferFill_ARGB8888", [], [out4], lambda: out4.fill(200))
case("CopyBuffer (4 bytes/pixel)", [rgba], [out4], lambda: np.copyto(out4, rgba))
sys.exit(0)
