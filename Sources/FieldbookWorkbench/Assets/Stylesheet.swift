/// The workbench's look: readable, high-contrast (WCAG AA for every text colour on its
/// background), visible focus for keyboard users.
enum Stylesheet {
    static let text = #"""
:root { --ink: #1b1f24; --muted: #4a5360; --line: #c9ced6; --accent: #0b5cad; --bad: #a4161a; --warn: #8a5300; --good: #1e6b30; --bg: #ffffff; --panel: #f4f6f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus, button:focus, input:focus, select:focus, textarea:focus, main:focus { outline: 3px solid #f2a900; outline-offset: 2px; }
.skip { position: absolute; left: -999px; top: 0; background: var(--ink); color: #fff; padding: .5rem 1rem; }
.skip:focus { left: 0; }
header { background: #10243e; color: #fff; padding: .4rem 1rem; }
header .brand { margin: 0 0 .3rem; font-weight: 600; }
header nav ul { list-style: none; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: .2rem 1rem; }
header nav a { color: #fff; text-decoration: none; }
header nav a[aria-current=page] { text-decoration: underline; font-weight: 600; }
main { max-width: 78rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: .3rem 0; }
th, td { border-bottom: 1px solid var(--line); padding: .35rem .5rem; text-align: left; vertical-align: top; }
th { background: var(--panel); }
.cards { display: flex; flex-wrap: wrap; gap: .8rem; padding: 0; list-style: none; }
.cards li { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; min-width: 11rem; }
.cards .value { display: block; font-size: 1.4rem; font-weight: 600; }
.notice { border-left: 4px solid var(--good); background: #eaf5ec; padding: .5rem .8rem; margin-bottom: 1rem; }
.notice.refused { border-color: var(--bad); background: #fbeaea; }
.status-compliant { color: var(--good); } .status-non-compliant { color: var(--bad); } .status-partially-compliant { color: var(--warn); }
.tag { display: inline-block; border: 1px solid var(--line); border-radius: 3px; padding: 0 .3rem; font-size: .85em; color: var(--muted); }
.alert { color: var(--bad); font-weight: 600; }
.muted, small { color: var(--muted); }
form.inline { display: inline; }
.field { margin: .5rem 0; display: flex; flex-direction: column; max-width: 40rem; }
.field label { font-weight: 600; margin-bottom: .2rem; }
.field.check { flex-direction: row; align-items: center; gap: .4rem; } .field.check label { margin: 0; }
form.filter { display: flex; flex-wrap: wrap; gap: 0 1.5rem; align-items: flex-end; margin-bottom: .5rem; } form.filter > button { margin: .5rem 0; }
input[type=text], input[type=search], input[type=date], input[type=number], select, textarea { font: inherit; padding: .35rem; border: 1px solid #7a8491; border-radius: 4px; }
button { font: inherit; padding: .4rem .9rem; border: 1px solid var(--accent); background: var(--accent); color: #fff; border-radius: 4px; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
.drop { border: 2px dashed #7a8491; border-radius: 6px; padding: 1rem; margin: .5rem 0; }
.drop.over { border-color: var(--accent); background: #eef4fb; }
.heat td { text-align: center; min-width: 2.5rem; }
.heat .low { background: #e3f1e6; } .heat .medium { background: #fff3cd; } .heat .high { background: #fde2c8; } .heat .critical { background: #f8d0d0; }
.tree { list-style: none; padding-left: 0; } .tree ul { list-style: none; padding-left: 1.2rem; }
.pager { display: flex; gap: 1rem; align-items: center; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
@media (max-width: 50rem) { .side { grid-template-columns: 1fr; } }
"""#
}
