#!/usr/bin/env python3
"""SciPy maximum-likelihood fits of BG/NBD, Pareto/NBD and Gamma-Gamma on the
CDNOW sample, to compare with segment/clv (Go).

Builds the same calibration summary as clv.Summarize (same-day purchases
merged, x = repeat purchase days up to the calibration end, t_x and T in
weeks from the first purchase, mean spend of the repeat days), groups
identical rows into weights exactly as the Go code does, and fits the same
likelihoods in log-parameters with scipy.optimize.minimize (BFGS):

  BG/NBD      Fader, Hardie & Lee (2005), analytic gradient (jac) supplied;
  Pareto/NBD  Schmittlein et al. (1987) / Fader & Hardie note 008, with
              scipy.special.hyp2f1, finite-difference gradient;
  Gamma-Gamma Colombo & Jiang (1999), analytic gradient supplied.

Each fit is timed with time.perf_counter; the best of --repeat runs is
printed together with the estimates and log-likelihoods. With --simulate N
it also times a BG/NBD fit on N customers drawn (numpy, seeded) from the
BG/NBD process with the CDNOW parameters, as the Go benchmark
BenchmarkFitBGNBD1M does.

Debian packages: apt-get install python3-scipy python3-pandas. Run with the
system interpreter, for example

  /usr/bin/python3 scripts/clv_scipy_compare.py \
      --transactions ../shared/data/cdnow/CDNOW_sample.txt --calibration-end 1997-09-30
"""

import argparse
import time

import numpy as np
import pandas as pd
import scipy
from scipy.optimize import minimize
from scipy.special import betaln, digamma, gammaln, hyp2f1


def summarize(path, cal_end):
    df = pd.read_csv(path, sep=r"\s+", header=None,
                     names=["customer", "sample", "date", "qty", "dollars"],
                     dtype={"customer": str, "sample": str, "date": str})
    df["date"] = pd.to_datetime(df["date"], format="%Y%m%d")
    day = df.groupby(["customer", "date"], as_index=False)["dollars"].sum()
    end = pd.Timestamp(cal_end)
    first = day.groupby("customer")["date"].min().rename("first")
    day = day.join(first, on="customer")
    cal = day[day["date"] <= end]
    g = cal.groupby("customer")
    s = pd.DataFrame({
        "x": g.size() - 1,
        "tx": (g["date"].max() - g["first"].first()).dt.days / 7.0,
        "T": (end - g["first"].first()).dt.days / 7.0,
    })
    rep = cal[cal["date"] > cal["first"]].groupby("customer")["dollars"].mean()
    s["m"] = rep.reindex(s.index).fillna(0.0)
    return s


def group(cols, frame):
    g = frame.groupby(cols).size().reset_index(name="w")
    return [g[c].to_numpy(dtype=float) for c in cols] + [g["w"].to_numpy(dtype=float)]


def bgnbd_nll(u, x, tx, T, w, n, grad=False):
    r, alpha, a, b = np.exp(u)
    rx = r + x
    lT, lt = np.log(alpha + T), np.log(alpha + tx)
    pos = x > 0
    bx1 = np.where(pos, b + x - 1, 1.0)
    z = np.where(pos, np.log(a) - np.log(bx1) + rx * (lT - lt), -np.inf)
    sp = np.logaddexp(0.0, z)
    ll = (gammaln(rx) - gammaln(r) + r * np.log(alpha)
          + betaln(a, b + x) - betaln(a, b) - rx * lT + sp)
    f = -np.dot(w, ll) / n
    if not grad:
        return f
    pi = np.where(pos, 1.0 / (1.0 + np.exp(-z)), 0.0)
    gr = digamma(rx) - digamma(r) + np.log(alpha) - lT + pi * (lT - lt)
    gal = r / alpha - rx / (alpha + T) + pi * rx * (1 / (alpha + T) - 1 / (alpha + tx))
    ga = digamma(a + b) - digamma(a + b + x) + pi / a
    gb = digamma(b + x) - digamma(a + b + x) - digamma(b) + digamma(a + b) - pi / bx1
    g = np.array([np.dot(w, v) for v in (gr, gal, ga, gb)])
    return f, -g * np.exp(u) / n


def pnbd_nll(u, x, tx, T, w, n):
    r, alpha, s, beta = np.exp(u)
    rsx = r + s + x
    if alpha >= beta:
        mx, mn, t = alpha, beta, s + 1
    else:
        mx, mn, t = beta, alpha, r + x
    d = mx - mn
    p1 = hyp2f1(rsx, t, rsx + 1, d / (mx + tx))
    p2 = hyp2f1(rsx, t, rsx + 1, d / (mx + T))
    # ln A0 = ln[p1/(mx+tx)^rsx − p2/(mx+T)^rsx]
    l1 = np.log(p1) - rsx * np.log(mx + tx)
    l2 = np.log(p2) - rsx * np.log(mx + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        la0 = l1 + np.log1p(-np.exp(l2 - l1))
    first = -(r + x) * np.log(alpha + T) - s * np.log(beta + T)
    second = np.log(s) - np.log(rsx) + la0
    br = np.where(tx < T, np.logaddexp(first, second), first)
    ll = gammaln(r + x) - gammaln(r) + r * np.log(alpha) + s * np.log(beta) + br
    f = -np.dot(w, ll) / n
    return f if np.isfinite(f) else np.inf


def gg_nll(u, x, m, w, n, grad=False):
    p, q, g = np.exp(u)
    px = p * x
    lgm = np.log(g + m * x)
    ll = (gammaln(px + q) - gammaln(px) - gammaln(q) + q * np.log(g)
          + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * lgm)
    f = -np.dot(w, ll) / n
    if not grad:
        return f
    gp = x * (digamma(px + q) - digamma(px) + np.log(m) + np.log(x) - lgm)
    gq = digamma(px + q) - digamma(q) + np.log(g) - lgm
    gg = q / g - (px + q) / (g + m * x)
    gv = np.array([np.dot(w, v) for v in (gp, gq, gg)])
    return f, -gv * np.exp(u) / n


def timed(fn, repeat):
    best, res = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        res = fn()
        best = min(best, time.perf_counter() - t0)
    return best, res


def fit_all(s, repeat):
    x, tx, T, w = group(["x", "tx", "T"], s)
    n = w.sum()
    a0 = T.dot(w) / max(x.dot(w), 1e-12)
    bg_start = np.log([1.0, a0, 1.0, 1.0])
    pn_start = np.log([1.0, a0, 1.0, T.dot(w) / n])
    rep = s[(s["x"] > 0) & (s["m"] > 0)]
    gx, gm, gw = group(["x", "m"], rep)
    gn = gw.sum()
    gg_start = np.log([1.0, 2.0, gm.dot(gw) / gn])

    out = {}
    t, r = timed(lambda: minimize(bgnbd_nll, bg_start, args=(x, tx, T, w, n, True),
                                  jac=True, method="BFGS", options={"gtol": 1e-7}), repeat)
    out["BG/NBD (BFGS, analytic gradient)"] = (t, np.exp(r.x), -r.fun * n, r.nit, r.nfev)
    t, r = timed(lambda: minimize(bgnbd_nll, bg_start, args=(x, tx, T, w, n),
                                  method="BFGS", options={"gtol": 1e-7}), repeat)
    out["BG/NBD (BFGS, numerical gradient)"] = (t, np.exp(r.x), -r.fun * n, r.nit, r.nfev)
    t, r = timed(lambda: minimize(pnbd_nll, pn_start, args=(x, tx, T, w, n),
                                  method="BFGS", options={"gtol": 1e-7}), repeat)
    out["Pareto/NBD (BFGS, numerical gradient)"] = (t, np.exp(r.x), -r.fun * n, r.nit, r.nfev)
    t, r = timed(lambda: minimize(pnbd_nll, pn_start, args=(x, tx, T, w, n),
                                  method="Nelder-Mead",
                                  options={"xatol": 1e-8, "fatol": 1e-12, "maxiter": 20000}), repeat)
    out["Pareto/NBD (Nelder-Mead)"] = (t, np.exp(r.x), -r.fun * n, r.nit, r.nfev)
    t, r = timed(lambda: minimize(gg_nll, gg_start, args=(gx, gm, gw, gn, True),
                                  jac=True, method="BFGS", options={"gtol": 1e-7}), repeat)
    out["Gamma-Gamma (BFGS, analytic gradient)"] = (t, np.exp(r.x), -r.fun * gn, r.nit, r.nfev)
    return len(w), out


def simulate_bgnbd(n, seed, r=0.243, alpha=4.414, a=0.793, b=2.426):
    rng = np.random.default_rng(seed)
    lam = rng.gamma(r, 1.0 / alpha, n)
    p = rng.beta(a, b, n)
    T = 39.0 - rng.integers(0, 84, n) / 7.0
    x = np.zeros(n)
    tx = np.zeros(n)
    t = np.zeros(n)
    active = lam > 0
    while active.any():
        idx = np.nonzero(active)[0]
        t[idx] += rng.exponential(1.0, idx.size) / lam[idx]
        within = t[idx] <= T[idx]
        done = idx[~within]
        active[done] = False
        buy = idx[within]
        x[buy] += 1
        tx[buy] = t[buy]
        dies = buy[rng.random(buy.size) < p[buy]]
        active[dies] = False
    return pd.DataFrame({"x": x, "tx": tx, "T": T})


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--transactions", default="../shared/data/cdnow/CDNOW_sample.txt")
    ap.add_argument("--calibration-end", default="1997-09-30")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--simulate", type=int, default=0, help="also fit BG/NBD on N simulated customers")
    args = ap.parse_args()

    print(f"numpy {np.__version__}, scipy {scipy.__version__}, pandas {pd.__version__}")
    t0 = time.perf_counter()
    s = summarize(args.transactions, args.calibration_end)
    print(f"summary: {len(s)} customers, {(s['x'] > 0).sum()} repeaters "
          f"({time.perf_counter() - t0:.3f} s)")
    rows, out = fit_all(s, args.repeat)
    print(f"{rows} distinct (x, t_x, T) rows; best of {args.repeat} runs per fit")
    total = 0.0
    for name, (t, th, ll, nit, nfev) in out.items():
        print(f"{name:40s} {t * 1000:9.1f} ms  loglik {ll:.4f}  params "
              + " ".join(f"{v:.4f}" for v in th) + f"  (iterations {nit}, evaluations {nfev})")
    for keys in (("BG/NBD (BFGS, analytic gradient)", "Pareto/NBD (BFGS, numerical gradient)",
                  "Gamma-Gamma (BFGS, analytic gradient)"),):
        total = sum(out[k][0] for k in keys)
        print(f"all three models (BFGS): {total * 1000:.1f} ms")

    if args.simulate:
        sim = simulate_bgnbd(args.simulate, 1)
        t0 = time.perf_counter()
        x, tx, T, w = group(["x", "tx", "T"], sim)
        n = w.sum()
        start = np.log([1.0, T.dot(w) / x.dot(w), 1.0, 1.0])
        r = minimize(bgnbd_nll, start, args=(x, tx, T, w, n, True), jac=True,
                     method="BFGS", options={"gtol": 1e-7})
        t = time.perf_counter() - t0
        print(f"BG/NBD on {args.simulate} simulated customers ({len(w)} rows), grouping + BFGS with "
              f"analytic gradient: {t:.2f} s, params " + " ".join(f"{v:.4f}" for v in np.exp(r.x)))


if __name__ == "__main__":
    main()
