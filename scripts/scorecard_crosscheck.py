#!/usr/bin/env python3
"""Cross-check package risk/scorecard against statsmodels and scikit-learn.

The Go side (scripts/scorecard_design) fits a scorecard on a stratified
70/30 split (seed 1) and writes the WoE design matrix of the selected
variables, the test-set PDs and its own logistic fits. This script refits the
same design matrix with

  * statsmodels Logit (Newton, tol 1e-12): coefficients, standard errors,
    z, p values, log-likelihoods, AIC, BIC, McFadden pseudo R2;
  * scikit-learn LogisticRegression without penalty (newton-cg) and with the
    ridge penalty C = 1/L2 (Go minimises -loglik + L2/2*|beta|^2, the
    intercept unpenalised, which is scikit-learn's objective with C = 1/L2);
  * roc_auc_score and a KS statistic on Go's test PDs,

prints both results side by side, and exits with status 1 if an unpenalised
coefficient differs by more than 1e-6 (or another statistic by more than
the tolerance printed).

Needs the Debian packages python3-statsmodels python3-sklearn python3-pandas.
Run from the repository root:

    python3 scripts/scorecard_crosscheck.py [taiwan|german ...]
"""
import json
import os
import subprocess
import sys
import tempfile
import warnings

import numpy as np
import pandas as pd
import statsmodels.api as sm
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

warnings.filterwarnings("ignore")


def ks_stat(y, p):
    order = np.argsort(p, kind="mergesort")
    p, y = p[order], y[order]
    nb, ng = y.sum(), (1 - y).sum()
    cb = np.cumsum(y) / nb
    cg = np.cumsum(1 - y) / ng
    last = np.r_[p[1:] != p[:-1], True]  # evaluate between tie groups
    return float(np.max(np.abs(cb - cg)[last]))


def check(data, tmp):
    out = os.path.join(tmp, data)
    subprocess.run(["go", "run", "./scripts/scorecard_design", "-data", data, "-out", out], check=True)
    with open(os.path.join(out, "go.json")) as f:
        g = json.load(f)
    tr = pd.read_csv(os.path.join(out, "train.csv"))
    te = pd.read_csv(os.path.join(out, "test.csv"))
    y = tr.pop("y").to_numpy()
    X = sm.add_constant(tr, has_constant="add")
    names = list(X.columns)

    sm_fit = sm.Logit(y, X).fit(method="newton", tol=1e-12, maxiter=100, disp=0)
    sk_plain = LogisticRegression(penalty=None, solver="newton-cg", tol=1e-12, max_iter=1000).fit(tr, y)
    l2 = g["ridge"]["l2"]
    sk_ridge = LogisticRegression(C=1.0 / l2, solver="newton-cg", tol=1e-12, max_iter=1000).fit(tr, y)

    plain = g["plain"]
    go_coef = np.array(plain["coef"])
    sm_coef = sm_fit.params.to_numpy()
    sk_coef = np.r_[sk_plain.intercept_, sk_plain.coef_.ravel()]
    sk_ridge_coef = np.r_[sk_ridge.intercept_, sk_ridge.coef_.ravel()]
    go_ridge = np.array(g["ridge"]["coef"])

    print(f"\n=== {data}: {g['rows_train']} train / {g['rows_test']} test rows, {len(names) - 1} WoE variables ===")
    print(f"{'variable':<24}{'Go coef':>14}{'statsmodels':>14}{'sklearn':>14}{'Go SE':>11}{'sm SE':>11}{'Go p':>11}{'sm p':>11}")
    for i, n in enumerate(names):
        print(f"{n:<24}{go_coef[i]:>14.8f}{sm_coef[i]:>14.8f}{sk_coef[i]:>14.8f}"
              f"{plain['se'][i]:>11.6f}{sm_fit.bse.iloc[i]:>11.6f}{plain['p'][i]:>11.3g}{sm_fit.pvalues.iloc[i]:>11.3g}")

    yt = te.pop("y").to_numpy()
    go_pd = te.pop("go_pd").to_numpy()
    auc = roc_auc_score(yt, go_pd)
    ks = ks_stat(yt, go_pd)
    rows = [
        ("max |coef Go - statsmodels|", np.max(np.abs(go_coef - sm_coef)), 1e-6),
        ("max |coef Go - sklearn|", np.max(np.abs(go_coef - sk_coef)), 1e-6),
        ("max |SE Go - statsmodels|", np.max(np.abs(np.array(plain["se"]) - sm_fit.bse.to_numpy())), 1e-6),
        ("max |z Go - statsmodels|", np.max(np.abs(np.array(plain["z"]) - sm_fit.tvalues.to_numpy())), 1e-5),
        ("max |p Go - statsmodels|", np.max(np.abs(np.array(plain["p"]) - sm_fit.pvalues.to_numpy())), 1e-8),
        ("|loglik Go - statsmodels|", abs(plain["loglik"] - sm_fit.llf), 1e-6),
        ("|LL-null Go - statsmodels|", abs(plain["llnull"] - sm_fit.llnull), 1e-6),
        ("|AIC Go - statsmodels|", abs(plain["aic"] - sm_fit.aic), 1e-6),
        ("|BIC Go - statsmodels|", abs(plain["bic"] - sm_fit.bic), 1e-6),
        ("|pseudo R2 Go - statsmodels|", abs(plain["pseudo_r2"] - sm_fit.prsquared), 1e-9),
        (f"max |ridge coef Go - sklearn C=1/{l2:g}|", np.max(np.abs(go_ridge - sk_ridge_coef)), 1e-6),
        ("|test AUC Go - sklearn roc_auc_score|", abs(g["auc_test"] - auc), 1e-12),
        ("|test KS Go - numpy|", abs(g["ks_test"] - ks), 1e-12),
    ]
    print(f"\nGo test AUC {g['auc_test']:.6f} (sklearn {auc:.6f}), Gini {g['gini_test']:.6f}, KS {g['ks_test']:.6f} (numpy {ks:.6f})")
    print(f"Go loglik {plain['loglik']:.6f} (statsmodels {sm_fit.llf:.6f}), AIC {plain['aic']:.4f} ({sm_fit.aic:.4f})")
    ok = True
    for label, diff, tol in rows:
        status = "ok" if diff <= tol else "FAIL"
        ok = ok and diff <= tol
        print(f"  {label:<44} {diff:10.3e}  (tol {tol:g})  {status}")
    return ok


def main():
    datasets = sys.argv[1:] or ["taiwan", "german"]
    with tempfile.TemporaryDirectory() as tmp:
        results = [check(d, tmp) for d in datasets]
    if not all(results):
        print("\ncross-check FAILED")
        sys.exit(1)
    print("\ncross-check passed")


if __name__ == "__main__":
    main()
