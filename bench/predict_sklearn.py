"""scikit-learn side of `pnpm bench:predict`: the pipeline of model_sklearn.py (same preprocessing, a 100-tree
forest on 2 jobs) fitted on Adult's 70% split, then a CSV of rows to score read with pandas, scored with
predict_proba and written with to_csv, as `pipe predict` does. Only that last part is timed. Prints one JSON line.

usage: predict_sklearn.py TRAIN.csv TARGET ROWS.csv OUT.csv
"""
import json, sys, time
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

train, target, rows, out = sys.argv[1:5]
read = lambda path: pd.read_csv(path, skipinitialspace=True, na_values=['?', 'NA', ''])
df = read(train)
y_raw = df.pop(target).astype(str).str.strip().str.rstrip('.')
y = (y_raw == sorted(y_raw.unique())[-1]).astype(int).to_numpy()
num = [c for c in df.columns if df[c].dtype != object]
cat = [c for c in df.columns if df[c].dtype == object]
pre = ColumnTransformer([('num', SimpleImputer(strategy='median'), num),
                         ('cat', make_pipeline(SimpleImputer(strategy='most_frequent'),
                                               OneHotEncoder(handle_unknown='ignore', min_frequency=5, sparse_output=False)), cat)])
model = make_pipeline(pre, RandomForestClassifier(n_estimators=100, random_state=42, n_jobs=2))
X_tr, _, y_tr, _ = train_test_split(df, y, test_size=0.3, random_state=42, stratify=y)
model.fit(X_tr, y_tr)
t0 = time.perf_counter(); c0 = time.process_time()
X = read(rows)
X['probability'] = model.predict_proba(X[num + cat])[:, 1]
X.to_csv(out, index=False)
print(json.dumps(dict(predict_file_s=time.perf_counter() - t0, predict_file_cpu_s=time.process_time() - c0, rows=len(X))))
