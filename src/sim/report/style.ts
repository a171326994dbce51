/** The report's stylesheet, inline so the page stands alone. */
export const REPORT_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem; color: #1f2328; background: #fff; }
h1 { font-size: 1.4rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; }
h2 .shown { font-weight: 400; color: #57606a; }
.summary { display: flex; flex-wrap: wrap; align-items: flex-start; gap: .75rem; margin: .75rem 0 1.5rem; }
.summary dl { margin: 0; padding: .5rem .75rem; border: 1px solid #d0d7de; border-radius: 6px; display: grid; grid-template-columns: auto auto; column-gap: 1rem; }
.summary dl h3 { grid-column: 1 / -1; font-size: .8rem; text-transform: uppercase; letter-spacing: .04em; color: #57606a; margin: 0 0 .25rem; }
.summary dt { font-weight: 600; }
.summary dd { margin: 0; text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(620px, 1fr)); gap: 1.5rem 1rem; }
figure { margin: 0; overflow-x: auto; }
figcaption { font-weight: 600; margin-bottom: .25rem; }
svg { display: block; }
svg text { font-size: 12px; fill: #57606a; }
svg .axis-title { font-size: 12.5px; fill: #1f2328; }
.axis { stroke: #8c959f; }
.grid { stroke: #eaeef2; }
.empty { font-size: 13px; }
path.step { fill: none; stroke-width: 2; stroke-linejoin: round; }
.bars rect { fill-opacity: .85; }
.legend { list-style: none; display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; margin: .25rem 0 0 70px; }
.swatch { display: inline-block; width: .9rem; height: .25rem; border-radius: 1px; margin-right: .35rem; vertical-align: 3px; }
.swatch.bars { height: .8rem; width: .5rem; vertical-align: -1px; }
.note { color: #57606a; margin: .35rem 0 0 70px; max-width: 540px; font-size: 13px; }
.filters { display: flex; flex-wrap: wrap; gap: .5rem 1.5rem; align-items: flex-start; margin-bottom: .5rem; }
fieldset.reasons { border: 1px solid #d0d7de; border-radius: 6px; padding: .35rem .6rem; margin: 0; display: flex; flex-wrap: wrap; gap: .25rem .9rem; max-width: 900px; }
fieldset.reasons legend { font-weight: 600; padding: 0 .25rem; }
.reason-choice { white-space: nowrap; }
.reason-choice.nothing { color: #8c959f; }
.count { display: inline-block; min-width: 1.4rem; padding: 0 .35rem; border-radius: 1rem; background: #eaeef2; text-align: center; font-size: 12px; font-variant-numeric: tabular-nums; }
.object-filter { font-weight: 600; }
.object-filter input { font: inherit; font-weight: 400; width: 20rem; margin-left: .35rem; padding: .15rem .35rem; }
.hint { flex-basis: 100%; margin: 0; color: #57606a; font-size: 13px; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .25rem .5rem; border-bottom: 1px solid #eaeef2; vertical-align: top; }
th { border-bottom-color: #d0d7de; position: sticky; top: 0; background: #fff; }
td.t { white-space: nowrap; text-align: right; font-variant-numeric: tabular-nums; }
td.reason { white-space: nowrap; font-weight: 600; }
button.object { font: inherit; background: none; border: 0; padding: 0; color: #0969da; cursor: pointer; text-align: left; }
button.object:hover { text-decoration: underline; }
.alias { color: #57606a; font-size: 12px; white-space: nowrap; }
.alias::before { content: "= "; }
.then { color: #1a7f37; font-size: 13px; }
`;
