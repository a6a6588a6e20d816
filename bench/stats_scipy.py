"""SciPy / pandas side of `pnpm bench:stats`: the same descriptive statistics and tests as pipe's
analysis, on pipe's processed file (same rows). Times the analysis only (the CSV read is excluded).
usage: stats_scipy.py PROCESSED.csv SCHEMA.json RUNS → one JSON line
"""
import json, sys, time
import numpy as np, pandas as pd
from scipy import stats

path, schema_path, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
schema = json.load(open(schema_path))
df = pd.read_csv(path, keep_default_na=False, na_values=[''])
target = schema['target']
y = (df[target].astype(str) == schema['positiveClass']).to_numpy()
feats = [c for c in schema['columns'] if c['role'] == 'feature']
num = [c['name'] for c in feats if c['type'] in ('integer', 'float')]
cat = [c['name'] for c in feats if c['type'] not in ('integer', 'float')]

def analysis():
    out = {}
    pvals = []
    for c in num:
        v = df[c].to_numpy(dtype=float)
        a, b = v[~y], v[y]
        a, b = a[~np.isnan(a)], b[~np.isnan(b)]
        d = stats.describe(v[~np.isnan(v)])
        q = np.quantile(v[~np.isnan(v)], [0.05, 0.25, 0.5, 0.75, 0.95])
        sk = stats.skew(v[~np.isnan(v)], bias=False); ku = stats.kurtosis(v[~np.isnan(v)], bias=False)
        t = stats.ttest_ind(b, a, equal_var=False)
        u = stats.mannwhitneyu(b, a)
        ks = stats.ks_2samp(b, a)
        mask = ~np.isnan(v)
        pb = stats.pointbiserialr(y[mask], v[mask])
        sw = [stats.shapiro(s[:5000]) for s in (a, b)]
        pvals.append(t.pvalue)
        out[c] = (d.mean, q[2], t.pvalue, u.pvalue, ks.pvalue, pb[1], sw[0][1], sk, ku)
    for c in cat:
        table = pd.crosstab(df[c].fillna('(missing)'), y).to_numpy().T
        chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
        pvals.append(p)
        out[c] = (chi2, p)
    m = len(pvals); order = np.argsort(pvals)
    adj = np.minimum.accumulate((np.array(pvals)[order] * m / np.arange(1, m + 1))[::-1])[::-1]
    if num:
        X = df[num]
        X.corr(method='pearson'); X.corr(method='spearman')
    return out

times = []
for _ in range(runs):
    t0 = time.perf_counter(); analysis(); times.append(time.perf_counter() - t0)
print(json.dumps(dict(seconds=float(np.median(times)), runs=runs, rows=len(df), numeric=len(num), categorical=len(cat))))
