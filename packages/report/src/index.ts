export { type BoxGroup, barChart, boxPlot, heatmap, histogramChart, horizontalBars, type Line, lineChart, type Series } from "./charts/charts.js";
export { analysisCharts, type Chart, modelCharts, safeName } from "./charts/sets.js";
export { esc } from "./charts/svg.js";
export { type ReportInput, renderReportHtml } from "./html/report.js";
export { findChromium, type PngResult, renderPngs } from "./png/render.js";
export { formatAnalysisText } from "./text/analysis-text.js";
export { formatMetricsText } from "./text/metrics-text.js";
export { num, pct, textTable } from "./text/table.js";
export type { EtlSummary, MetricsDoc } from "./types.js";
