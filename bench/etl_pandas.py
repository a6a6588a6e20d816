"""pandas side of `pnpm bench:etl`: read_csv + dropna + drop_duplicates + to_csv (the original design's ETL).
usage: etl_pandas.py INPUT.csv OUTPUT.csv HEADER(0|1) NA_TOKENS(comma-separated) → one JSON line"""
import json, sys, time
import pandas as pd
t0 = time.perf_counter()
header = 0 if sys.argv[3] == "1" else None
df = pd.read_csv(sys.argv[1], header=header, skipinitialspace=True, na_values=sys.argv[4].split(","))
rows_in = len(df)
df = df.dropna().drop_duplicates()
df.to_csv(sys.argv[2], index=False)
print(json.dumps(dict(seconds=time.perf_counter() - t0, rows_in=rows_in, rows_out=len(df))))
