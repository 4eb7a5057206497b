#!/usr/bin/env python3
"""Cross-check of the Hillstrom uplift benchmark (package campaign/uplift).

Reads the test scores written by `go run ./examples/uplift -export DIR`
(rows of the Womens E-Mail + No E-Mail subset, in file order) and:
  * recomputes Qini coefficient, AUUC and uplift@30% of the Go two-model
    scorecards with an independent numpy implementation of scikit-uplift's
    definitions (qini_auc_score with negative_effect=True, uplift_auc_score,
    uplift_at_k with strategy "overall"; the ranking of tied scores follows
    numpy's sort, as in scikit-uplift);
  * fits baselines on the SAME split with scikit-learn: class transformation
    (Jaskowski & Jaroszewicz 2012; scikit-uplift's ClassTransformation) with
    gradient boosting of depth 2 (scikit-uplift's tutorial used XGBoost depth 2
    and a CatBoost encoder, neither available here), and a two-model
    one-hot logistic regression;
  * prints the same metrics for each.

Usage (Debian packages python3-sklearn python3-pandas):
  go run ./examples/uplift -export /tmp/upx
  python3 scripts/uplift_hillstrom.py campaign/uplift/testdata/hillstrom.csv.gz /tmp/upx
"""
import math
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, OrdinalEncoder

warnings.filterwarnings("ignore")


def curve(y, u, t, kind):
    o = np.argsort(-u, kind="mergesort")
    y, u, t = y[o], u[o], t[o]
    ends = np.r_[np.where(np.diff(u))[0], len(u) - 1]
    n = ends + 1.0
    nt = np.cumsum(t)[ends].astype(float)
    nc = n - nt
    rt = np.cumsum(y * t)[ends].astype(float)
    rc = np.cumsum(y * (1 - t))[ends].astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        if kind == "qini":
            v = rt - np.where(nc > 0, rc * nt / np.where(nc > 0, nc, 1), 0)
        else:
            v = (np.where(nt > 0, rt / np.where(nt > 0, nt, 1), 0) - np.where(nc > 0, rc / np.where(nc > 0, nc, 1), 0)) * n
    return np.r_[0, n], np.r_[0, v]


def coef(y, u, t, kind):
    x, v = curve(y, u, t, kind)
    if kind == "qini":
        perfect = y * t - y * (1 - t)
    else:
        cr, tn = ((y == 1) & (t == 0)).sum(), ((y == 0) & (t == 1)).sum()
        perfect = 2 * (y == t) + (y if cr > tn else t)
    xp, vp = curve(y, perfect.astype(float), t, kind)
    rnd = xp[-1] * vp[-1] / 2
    return (np.trapz(v, x) - rnd) / (np.trapz(vp, xp) - rnd)


def uplift_at_k(y, u, t, k=0.3):
    top = np.argsort(u)[::-1][: math.ceil(len(u) * k)]
    return y[top][t[top] == 1].mean() - y[top][t[top] == 0].mean()


def report(name, y, u, t):
    print(f"  {name:52s} Qini {coef(y, u, t, 'qini'):.4f}  AUUC {coef(y, u, t, 'uplift'):.4f}  uplift@30% {uplift_at_k(y, u, t):.4f}")


data, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(data)
df = df[df.segment != "Mens E-Mail"].reset_index(drop=True)
treat = (df.segment == "Womens E-Mail").astype(int).values
visit = df.visit.values.astype(int)
X = df.drop(columns=["segment", "visit", "conversion", "spend"])
CAT = ["history_segment", "zip_code", "channel"]
NUM = [c for c in X.columns if c not in CAT]

go = pd.read_csv(f"{out}/hillstrom_test_scores.csv")
test = np.zeros(len(df), bool)
test[go.row.values] = True
assert (go.treated.values == treat[go.row.values]).all(), "arms differ: wrong data file?"
yt, tt = visit[test], treat[test]
ate = yt[tt == 1].mean() - yt[tt == 0].mean()
print(f"split: {(~test).sum()} train, {test.sum()} test; test average effect {ate:.4f}")
report("Go two-model scorecards (recomputed here)", visit[go.row.values], go.score.values, treat[go.row.values])

tr = ~test
ct = ColumnTransformer([("cat", OrdinalEncoder(), CAT)], remainder="passthrough")
z = visit * treat + (1 - visit) * (1 - treat)  # class transformation target
gb = make_pipeline(ct, GradientBoostingClassifier(max_depth=2, random_state=42)).fit(X[tr], z[tr])
report("class transformation, gradient boosting depth 2", yt, 2 * gb.predict_proba(X[test])[:, 1] - 1, tt)

oh = ColumnTransformer([("cat", OneHotEncoder(handle_unknown="ignore"), CAT)], remainder="passthrough")
lr = lambda: make_pipeline(oh, LogisticRegression(max_iter=3000))
mt = lr().fit(X[tr & (treat == 1)], visit[tr & (treat == 1)])
mc = lr().fit(X[tr & (treat == 0)], visit[tr & (treat == 0)])
report("two-model one-hot logistic regression", yt, mt.predict_proba(X[test])[:, 1] - mc.predict_proba(X[test])[:, 1], tt)
rng = np.random.default_rng(1)
report("random scores", yt, rng.random(test.sum()), tt)

# scikit-uplift's tutorial split: train_test_split(test_size=0.5, random_state=42)
# of the same rows in the same order (not stratified).
from sklearn.model_selection import train_test_split  # noqa: E402

idx_tr, idx_te = train_test_split(np.arange(len(df)), test_size=0.5, random_state=42)
y2, t2 = visit[idx_te], treat[idx_te]
print(f"\nscikit-uplift tutorial split: test average effect {y2[t2 == 1].mean() - y2[t2 == 0].mean():.4f}")
gb2 = make_pipeline(ct, GradientBoostingClassifier(max_depth=2, random_state=42)).fit(X.iloc[idx_tr], z[idx_tr])
report("class transformation, gradient boosting depth 2", y2, 2 * gb2.predict_proba(X.iloc[idx_te])[:, 1] - 1, t2)
pd.DataFrame({"row": np.sort(idx_te)}).to_csv(f"{out}/hillstrom_sklift_test_rows.csv", index=False)
print(f"  (test rows written to {out}/hillstrom_sklift_test_rows.csv: evaluate the Go model on them with\n"
      f"   go run ./examples/uplift -hillstrom-test {out}/hillstrom_sklift_test_rows.csv)")
