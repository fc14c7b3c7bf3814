/** The report's stylesheet: readable from 390 px up, wide tables scroll inside their own box. */
export const CSS = `
:root{--ink:#1d2433;--muted:#667085;--line:#e4e7ec;--ok:#12805c;--bad:#c4320a;--warn:#b54708;--accent:#2e6bd1;--bg:#f7f8fa}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{padding:20px 28px;background:#fff;border-bottom:1px solid var(--line)}h1{margin:0 0 4px;font-size:22px}
.sub{color:var(--muted);overflow-wrap:anywhere}main{padding:20px 28px;display:grid;grid-template-columns:minmax(0,1fr);gap:20px}
section{min-width:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:16px 18px}h2{margin:0 0 12px;font-size:16px}
h2,h3,p,li,figcaption,summary{overflow-wrap:anywhere}h3{margin:14px 0 6px;font-size:14px}.note{color:var(--muted);font-size:12px;margin:4px 0 8px}
section.failed{border-color:var(--bad);border-width:2px}section.failed h2{color:var(--bad)}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,380px),1fr));gap:20px}.charts figure{min-width:0;margin:0}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:5px 8px;border-bottom:1px solid var(--line);white-space:nowrap;vertical-align:top}
th{color:var(--muted);font-weight:600}td.num{text-align:right;font-variant-numeric:tabular-nums}code{font-size:12px;overflow-wrap:anywhere}
td.wrap{white-space:normal;min-width:16em}
pre{white-space:pre-wrap;overflow-wrap:anywhere;font-size:12px;background:var(--bg);padding:8px;border-radius:6px;margin:6px 0}
details summary{cursor:pointer;color:var(--accent)}details.assertion-group{margin:4px 0}details.assertion-group>summary{font-weight:600;color:var(--ink)}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;font-weight:600}
.ok{background:#e7f6ef;color:var(--ok)}.bad{background:#fdece7;color:var(--bad)}.skip{background:#fef4e6;color:var(--warn)}
.kpis{display:flex;gap:14px;flex-wrap:wrap}.kpi{border:1px solid var(--line);border-radius:8px;padding:10px 14px;min-width:150px;background:#fff}
.kpi b{display:block;font-size:20px}.kpi span{color:var(--muted);font-size:12px}
svg.chart .bar{fill:var(--accent)}svg.chart .bar.partial{fill:#a9c2ec;stroke:var(--accent);stroke-dasharray:3 2}
svg.chart .line{fill:none;stroke:var(--accent);stroke-width:2}svg.chart .point{fill:#fff;stroke:var(--accent);stroke-width:2}
svg.chart .point.partial{stroke-dasharray:2 2}svg.chart .grid{stroke:var(--line)}svg.chart .axis{font-size:10px;fill:var(--muted)}
svg.chart .unit{font-size:11px}.empty{color:var(--muted)}
svg.dag .edge{fill:none;stroke:#c5cad3;stroke-width:1}svg.dag text{font-size:11px}svg.dag .layer{font-weight:600;fill:var(--muted)}
svg.dag .node rect{stroke-width:1.5}svg.dag .succeeded rect{fill:#e7f6ef;stroke:var(--ok)}svg.dag .failed rect{fill:#fdece7;stroke:var(--bad)}
svg.dag .assertion-failed rect{fill:#fef4e6;stroke:var(--bad);stroke-dasharray:4 2}svg.dag .skipped rect{fill:#fef4e6;stroke:var(--warn)}
svg.dag .not-run rect{fill:#f2f4f7;stroke:#98a2b3}svg.dag .source rect{fill:#fff;stroke:#98a2b3}
.legend span{display:inline-block;margin-right:12px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:4px;vertical-align:-1px}
.scroll{overflow-x:auto;max-width:100%}
tr.run-head td{background:var(--bg);font-weight:600;white-space:normal}
@media (max-width:600px){header,main{padding:12px}section{padding:12px}.kpi{min-width:0;flex:1 1 40%}h1{font-size:19px}}
`;
