#!/usr/bin/env python3
"""Cross-check of the bank-marketing response model (package campaign/uplift).

Reads the test scores written by `go run ./examples/uplift -export DIR` and
compares, on the SAME 70/30 split:
  * the Go scorecard's test AUC, recomputed with sklearn.metrics.roc_auc_score;
  * scikit-learn binned logistic regression (quantile KBinsDiscretizer, one-hot,
    LogisticRegression), the reference of issue 6 (0.7755 on its own split),
    with 10 and 20 bins;
and repeats the scikit-learn reference on its usual random_state=42 split.
It also prints conversion by number of contacts (`campaign` column).

Usage (Debian packages python3-sklearn python3-pandas):
  go run ./examples/uplift -export /tmp/upx
  python3 scripts/bankmarketing_auc.py campaign/uplift/testdata/bank-full.csv.gz /tmp/upx
"""
import sys
import warnings

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import KBinsDiscretizer, OneHotEncoder

warnings.filterwarnings("ignore")


def binned_lr(bins):
    return make_pipeline(
        ColumnTransformer([
            ("num", KBinsDiscretizer(n_bins=bins, encode="onehot", strategy="quantile"), NUM),
            ("cat", OneHotEncoder(handle_unknown="ignore"), CAT),
        ]),
        LogisticRegression(max_iter=3000),
    )


data, out = sys.argv[1], sys.argv[2]
df = pd.read_csv(data, sep=";").drop(columns=["duration"])
y = (df.pop("y") == "yes").astype(int).values
NUM = [c for c in df.columns if df[c].dtype != object]
CAT = [c for c in df.columns if df[c].dtype == object]

go = pd.read_csv(f"{out}/bank_test_scores.csv")
test = np.zeros(len(df), bool)
test[go.row.values] = True
print(f"split: {(~test).sum()} train, {test.sum()} test rows, test positive rate {y[test].mean():.4f}")
print(f"Go response scorecard, AUC recomputed by sklearn: {roc_auc_score(y[go.row.values], go.score.values):.4f}")
for bins in (10, 20):
    m = binned_lr(bins).fit(df[~test], y[~test])
    print(f"sklearn binned LR ({bins} quantile bins), same split: {roc_auc_score(y[test], m.predict_proba(df[test])[:, 1]):.4f}")
Xtr, Xte, ytr, yte = train_test_split(df, y, test_size=0.3, random_state=42, stratify=y)
m = binned_lr(10).fit(Xtr, ytr)
print(f"sklearn binned LR (10 bins), train_test_split(random_state=42, stratify=y): {roc_auc_score(yte, m.predict_proba(Xte)[:, 1]):.4f}")

print("\nconversion by number of contacts (campaign column)")
yes = pd.Series(y)
camp = df["campaign"]
for k in range(1, 13):
    exact, reached = camp == k, camp >= k
    print(f"  {k:2d}: customers {exact.sum():6d} rate {yes[exact].mean():.4f} hazard {yes[exact].sum() / reached.sum():.4f} "
          f"conversions kept {yes[camp <= k].sum() / yes.sum():.3f} contacts kept {camp.clip(upper=k).sum() / camp.sum():.3f}")
