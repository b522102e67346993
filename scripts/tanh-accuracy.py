"""Errors of tanh kernels in ulps of the exact tanh (mpmath at 50 digits).

Reads the file scripts/tanh-accuracy.mjs writes (a header naming the columns, then lines
"x y1 y2 ..."), prints each column's largest error |y - tanh x| / ulp(tanh x), where it occurs,
and any special value that goes wrong (NaN must stay NaN, +-inf give +-1, +-0 keep their sign).
ulp(v) is the spacing of doubles at |v| (math.ulp), the smallest subnormal below the normals.
"""
import math
import sys

from mpmath import mp, mpf, tanh

mp.dps = 50


def ulp(v):
    v = abs(v)
    return 5e-324 if v < 2.2250738585072014e-308 else math.ulp(v)


def main(path):
    with open(path) as f:
        names = f.readline().split()[1:]
        worst = {n: (0.0, None) for n in names}
        wrong = {n: [] for n in names}
        count = 0
        for line in f:
            fields = line.split()
            x = float(fields[0])
            ys = [float(v) for v in fields[1:]]
            count += 1
            if math.isnan(x) or math.isinf(x):
                want = math.nan if math.isnan(x) else math.copysign(1.0, x)
                for n, y in zip(names, ys):
                    if not (y == want or (math.isnan(y) and math.isnan(want))):
                        wrong[n].append((x, y))
                continue
            exact = tanh(mpf(x))
            scale = ulp(float(exact))
            for n, y in zip(names, ys):
                if x == 0 and math.copysign(1, y) != math.copysign(1, x):
                    wrong[n].append((fields[0], fields[1 + names.index(n)]))
                err = float(abs(mpf(y) - exact)) / scale
                if err > worst[n][0]:
                    worst[n] = (err, x)
    print(f"{count} points; error in ulps of the exact tanh (mpmath, {mp.dps} digits)")
    for n in names:
        err, x = worst[n]
        print(f"  {n}: max {err:.3f} ulp at x = {x!r}; special values wrong: {wrong[n] or 'none'}")


if __name__ == "__main__":
    main(sys.argv[1])
