"""
The numpy peer of bench/trial-loop.mjs: a plain numpy weight-perturbation loop doing the same
trials on the same nets and data (read as JSON from stdin), timed for a wall-clock budget each.
Prints one JSON object: trials per second (wall and CPU) per workload.

  iris     4-10-3 tanh/linear, softmax cross-entropy over all 150 patterns, one-sided trials:
           Gaussian Δw, E(w + Δw) − E(w) with E(w) cached, the moment estimator's five
           accumulators updated as arrays (src/synapse/moment.ts, one-sided, κ = 3).
  mnist7   49-16-10 online antithetic WP training: a random training image per trial, Gaussian
           Δw, E(w ± Δw) on it, w ← w − (η/σ²)·½(E⁺ − E⁻)·Δw.
  mnist28  784-100-10, the same.
  *r       the same with ±σ perturbations (law "rademacher").
"""
import json
import sys
import time

import numpy as np


def unpack(w, layers, woff, boff):
    out = []
    for l in range(1, len(layers)):
        n_in, n_out = layers[l - 1], layers[l]
        out.append((w[woff[l - 1]:woff[l - 1] + n_out * n_in].reshape(n_out, n_in), w[boff[l - 1]:boff[l - 1] + n_out]))
    return out


def loss_batch(w, spec, X, T):
    params = unpack(w, spec["layers"], spec["woff"], spec["boff"])
    y = X
    for l, (W, b) in enumerate(params):
        y = y @ W.T + b
        if l < len(params) - 1:
            y = np.tanh(y)
    m = y.max(axis=1, keepdims=True)
    lse = (m[:, 0] + np.log(np.exp(y - m).sum(axis=1)))
    return float((lse * T.sum(axis=1)).sum() - (T * y).sum())


def loss_one(w, spec, x, t):
    params = unpack(w, spec["layers"], spec["woff"], spec["boff"])
    y = x
    for l, (W, b) in enumerate(params):
        y = W @ y + b
        if l < len(params) - 1:
            y = np.tanh(y)
    m = y.max()
    return float((m + np.log(np.exp(y - m).sum())) * t.sum() - t @ y)


def timed(step, seconds):
    for _ in range(20):
        step()
    t0, c0 = time.perf_counter(), time.process_time()
    done = 0
    while time.perf_counter() - t0 < seconds:
        for _ in range(20):
            step()
        done += 20
    return {"wall": done / (time.perf_counter() - t0), "cpu": done / (time.process_time() - c0), "trials": done}


def iris(spec, seconds):
    X, T = np.array(spec["X"]).reshape(-1, spec["layers"][0]), np.array(spec["T"]).reshape(-1, spec["layers"][-1])
    w = np.array(spec["w"])
    v = np.array(spec["v"])
    n, sigma = w.size, spec["sigma"]
    rng = np.random.default_rng(1)
    E0 = loss_batch(w, spec, X, T)
    st = {"cG": np.zeros(n), "qG": np.zeros(n), "cZ": np.zeros(n), "qZ": np.zeros(n), "cH": np.zeros(n), "mean": 0.0, "T": 0}
    ratio, s2 = 0.0, sigma * sigma  # κ = 3: (κ − 3)/(κ − 1) = 0

    def step():
        dw = sigma * rng.standard_normal(n)
        a = loss_batch(w + dw, spec, X, T) - E0
        st["T"] += 1
        d = a - st["mean"]
        st["mean"] += d / st["T"]
        p = float(dw @ v)
        inc_g = d * dw
        st["cG"] += inc_g
        st["qG"] += inc_g * inc_g
        inc_z = d * (dw * (p - ratio * v * dw) - s2 * (1 - ratio) * v)
        st["cZ"] += inc_z
        st["qZ"] += inc_z * inc_z
        st["cH"] += d * (dw * dw - s2)

    return timed(step, seconds)


def online(spec, seconds):
    X, T = np.array(spec["X"]).reshape(-1, spec["layers"][0]), np.array(spec["T"]).reshape(-1, spec["layers"][-1])
    w = np.array(spec["w"])
    n, sigma, eta = w.size, spec["sigma"], spec["eta"]
    law = spec.get("law", "gaussian")
    rng = np.random.default_rng(1)
    count = X.shape[0]

    def step():
        nonlocal w
        p = rng.integers(count)
        if law == "rademacher":
            dw = sigma * (2.0 * rng.integers(0, 2, n) - 1.0)
        else:
            dw = sigma * rng.standard_normal(n)
        a = 0.5 * (loss_one(w + dw, spec, X[p], T[p]) - loss_one(w - dw, spec, X[p], T[p]))
        w -= (eta / sigma ** 2) * a * dw

    return timed(step, seconds)


def main():
    spec = json.load(sys.stdin)
    seconds = spec["seconds"]
    out = {"numpy": np.__version__}
    for name, job in spec["jobs"].items():
        out[name] = iris(job, seconds) if job["kind"] == "iris" else online(job, seconds)
    print(json.dumps(out))


main()
