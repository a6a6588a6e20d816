/** The report's stylesheet: system fonts only, readable on a phone (charts scale to the width). */
export const STYLE = `
:root{color-scheme:light;--fg:#1d2330;--muted:#5b6475;--line:#e3e6ec;--accent:#3b6ea8}
*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:#f7f8fa}
header{background:#fff;border-bottom:1px solid var(--line);padding:16px 20px;position:sticky;top:0;z-index:1}
h1{margin:0 0 6px;font-size:1.35rem}nav{display:flex;flex-wrap:wrap;gap:14px}nav a{color:var(--accent);text-decoration:none;font-size:.95rem}
main{max-width:1180px;margin:0 auto;padding:12px 16px 48px}section{background:#fff;border:1px solid var(--line);border-radius:10px;padding:16px 18px;margin:16px 0}
h2{margin-top:0;font-size:1.2rem}h3{font-size:1.02rem;margin:18px 0 8px}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:10px;margin-bottom:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 12px}.card .v{font-size:1.35rem;font-weight:600}.card .k{color:var(--muted);font-size:.85rem}
.scroll{overflow-x:auto}table{border-collapse:collapse;margin:6px 0 12px;font-size:.9rem}th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;white-space:nowrap}td.n{text-align:right;font-variant-numeric:tabular-nums}td.prose{white-space:normal;min-width:16em}
pre{background:#f3f4f7;padding:10px;overflow-x:auto;font-size:.85rem}code{font-size:.9em}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,460px),1fr));gap:14px}
figure.chart .plot{display:none;min-height:360px}figure.chart.interactive .plot{display:block}figure.chart.interactive .static{display:none}figure.chart{margin:0;border:1px solid var(--line);border-radius:8px;padding:6px;background:#fff}figure.chart svg{width:100%;height:auto;display:block}
figcaption{color:var(--muted);font-size:.85rem;text-align:center}p,dd,li,code{overflow-wrap:anywhere}section{min-width:0}.warn{color:#8a4b00}.readings li{margin:4px 0}
dt{font-weight:600;margin-top:8px}dd{margin:2px 0 6px 0;color:#2b3240}
`;
