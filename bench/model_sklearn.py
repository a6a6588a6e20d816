"""scikit-learn side of `pnpm bench:model`: the careful protocol of ../shared/anchors/seed-python/best_practice.py
(identifiers dropped, numeric text parsed, imputation and one-hot encoding fitted on the training rows,
stratified 70/30 split, random_state 42), timed the same way as pipe's side. Prints one JSON line.

usage: model_sklearn.py INPUT.csv TARGET N_JOBS [rf|hgb] [SPLIT_DIR]   (hgb: HistGradientBoostingClassifier with its defaults)

With SPLIT_DIR (written by model-pipe.mjs with SPLIT_OUT): pipe's processed rows and its test rows instead
of the raw file and scikit-learn's split, so both sides fit and score the same rows.
"""
import json, os, pickle, resource, sys, time
import numpy as np, pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

inp, target, n_jobs = sys.argv[1], sys.argv[2], int(sys.argv[3])
# HistGradientBoosting runs on OpenMP threads, not n_jobs: the caller sets OMP_NUM_THREADS.
kind = sys.argv[4] if len(sys.argv) > 4 else 'rf'
split_dir = sys.argv[5] if len(sys.argv) > 5 else None
if split_dir:
    split = json.load(open(os.path.join(split_dir, 'split.json')))
    df = pd.read_csv(os.path.join(split_dir, 'processed.csv'), na_values=[''], keep_default_na=False)
    y = (df.pop(target).astype(str) == split['positive']).astype(int).to_numpy()
else:
    df = pd.read_csv(inp, skipinitialspace=True, na_values=['?', 'NA', ''])
    y_raw = df.pop(target).astype(str).str.strip().str.rstrip('.')
    y = (y_raw == sorted(y_raw.unique())[-1]).astype(int).to_numpy()
for c in df.columns:
    if df[c].dtype == object:
        parsed = pd.to_numeric(df[c].str.strip(), errors='coerce')
        if parsed.notna().mean() > 0.95:
            df[c] = parsed
df = df.drop(columns=[c for c in df.columns if df[c].dtype == object and df[c].nunique() > 0.9 * len(df)])
num = [c for c in df.columns if df[c].dtype != object]
cat = [c for c in df.columns if df[c].dtype == object]
pre = ColumnTransformer([('num', SimpleImputer(strategy='median'), num),
                         ('cat', make_pipeline(SimpleImputer(strategy='most_frequent'),
                                               OneHotEncoder(handle_unknown='ignore', min_frequency=5, sparse_output=False)), cat)])
estimator = HistGradientBoostingClassifier(random_state=42) if kind == 'hgb' else RandomForestClassifier(n_estimators=100, random_state=42, n_jobs=n_jobs)
model = make_pipeline(pre, estimator)
if split_dir:
    test = np.zeros(len(df), dtype=bool)
    test[split['test']] = True
    X_tr, X_te, y_tr, y_te = df[~test], df[test], y[~test], y[test]
else:
    X_tr, X_te, y_tr, y_te = train_test_split(df, y, test_size=0.3, random_state=42, stratify=y)
t0 = time.perf_counter(); model.fit(X_tr, y_tr); fit_s = time.perf_counter() - t0
# Peak RSS of the process up to the end of the fit (reading the CSV included), as pipe's side measures it.
fit_peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
p = model.predict_proba(X_te)[:, 1]
one = X_te.iloc[[0]]
times = []
for _ in range(50):
    t = time.perf_counter(); model.predict_proba(one); times.append(time.perf_counter() - t)
batch = pd.concat([X_te] * (10000 // len(X_te) + 1)).iloc[:10000]
bt = []
for _ in range(3):
    t = time.perf_counter(); model.predict_proba(batch); bt.append(time.perf_counter() - t)
size = len(pickle.dumps(model))
print(json.dumps(dict(fit_s=fit_s, auc=roc_auc_score(y_te, p), predict1_us=float(np.median(times)) * 1e6,
                      predict10k_ms=float(np.median(bt)) * 1e3, model_bytes=size, n_train=len(y_tr), n_test=len(y_te), fit_peak_rss_mb=fit_peak_rss_mb)))
