"""Errors of wasm kernels in ulps of the exact value (mpmath at 50 digits).

Reads the file scripts/kernel-accuracy.mjs writes (a header "FUNCTION name1 name2 ...", then
lines "x y1 y2 ...", FUNCTION tanh, exp or log), prints each column's largest error
|y - f(x)| / ulp(f(x)), where it occurs (overall, and for tanh also where |x| < 1e-300 is
excluded; for exp where f(x) is normal), and any special value that goes wrong: NaN must stay
NaN, tanh(+-inf) = +-1 and tanh(+-0) = +-0, exp(-inf) = 0. ulp(v) is the spacing of doubles at
|v| (math.ulp), the smallest subnormal below the normals.
"""
import math
import sys

import mpmath
from mpmath import mp, mpf

mp.dps = 50
TINY = 2.2250738585072014e-308


def ulp(v):
    v = abs(v)
    return 5e-324 if v < TINY else math.ulp(v)


def main(path):
    with open(path) as f:
        header = f.readline().split()
        func, names = header[0], header[1:]
        exact_of = {"tanh": mpmath.tanh, "exp": mpmath.exp, "log": mpmath.log}[func]
        worst = {n: (0.0, None) for n in names}
        worst_normal = {n: (0.0, None) for n in names}
        wrong = {n: [] for n in names}
        count = 0
        for line in f:
            fields = line.split()
            x = float(fields[0])
            ys = [float(v) for v in fields[1:]]
            count += 1
            if math.isnan(x) or math.isinf(x):
                if math.isnan(x):
                    want = math.nan
                else:
                    want = math.copysign(1.0, x) if func == "tanh" else (0.0 if x < 0 else math.inf)
                for n, y in zip(names, ys):
                    if not (y == want or (math.isnan(y) and math.isnan(want))):
                        wrong[n].append((x, y))
                continue
            exact = exact_of(mpf(x))
            scale = ulp(float(exact))
            for n, y, text in zip(names, ys, fields[1:]):
                if func == "tanh" and x == 0 and math.copysign(1, y) != math.copysign(1, x):
                    wrong[n].append((fields[0], text))
                err = float(abs(mpf(y) - exact)) / scale
                if err > worst[n][0]:
                    worst[n] = (err, x)
                if abs(float(exact)) >= TINY and err > worst_normal[n][0]:
                    worst_normal[n] = (err, x)
    print(f"{count} points; {func}: error in ulps of the exact value (mpmath, {mp.dps} digits)")
    for n in names:
        err, x = worst[n]
        errn, xn = worst_normal[n]
        print(f"  {n}: max {err:.3f} ulp at x = {x!r} (normal results: {errn:.3f} at x = {xn!r});"
              f" special values wrong: {wrong[n] or 'none'}")


if __name__ == "__main__":
    main(sys.argv[1])
