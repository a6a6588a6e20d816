"""scikit-learn side of the quality table (bench/quality.mjs): the careful protocol of
../shared/anchors/seed-python/best_practice.py (identifier columns dropped, numeric text parsed,
median / most-frequent imputation and one-hot encoding fitted on the training rows, 70/30 split
stratified by the target, random_state=42), scored by test ROC AUC and log loss, for the forest
(100 trees) and HistGradientBoosting. Prints one JSON line. Run with Debian's python3.

usage: /usr/bin/python3 bench/quality_sklearn.py INPUT.csv TARGET
"""
import json, sys, time
import numpy as np, pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.metrics import roc_auc_score, log_loss
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

inp, target = sys.argv[1], sys.argv[2]
df = pd.read_csv(inp, skipinitialspace=True, na_values=['?', 'NA', ''])
y_raw = df.pop(target).astype(str).str.strip().str.rstrip('.')
classes = sorted(y_raw.unique())
y = (y_raw == classes[-1]).astype(int)
for c in df.columns:
    if df[c].dtype == object:
        parsed = pd.to_numeric(df[c].str.strip(), errors='coerce')
        if parsed.notna().mean() > 0.95:
            df[c] = parsed
ids = [c for c in df.columns if df[c].nunique() > 0.9 * len(df) and df[c].dtype == object]
df = df.drop(columns=ids)
num = [c for c in df.columns if df[c].dtype != object]
cat = [c for c in df.columns if df[c].dtype == object]
X_tr, X_te, y_tr, y_te = train_test_split(df, y, test_size=0.3, random_state=42, stratify=y)
out = dict(rows=len(df))
for kind in ['rf', 'hgb']:
    pre = ColumnTransformer([
        ('num', SimpleImputer(strategy='median'), num),
        ('cat', make_pipeline(SimpleImputer(strategy='most_frequent'),
                              OneHotEncoder(handle_unknown='ignore', min_frequency=5, sparse_output=False)), cat)])
    model = RandomForestClassifier(n_estimators=100, random_state=42, n_jobs=2) if kind == 'rf' else HistGradientBoostingClassifier(random_state=42)
    pipe = make_pipeline(pre, model)
    t = time.perf_counter()
    pipe.fit(X_tr, y_tr)
    fit_s = time.perf_counter() - t
    p = pipe.predict_proba(X_te)[:, 1]
    out[kind] = dict(auc=float(roc_auc_score(y_te, p)), log_loss=float(log_loss(y_te, np.clip(p, 1e-15, 1 - 1e-15))), fit_s=fit_s)
print(json.dumps(out))
