# Writes notebooks/measured/<name>/README.md from the committed per-run metrics (run by out/measured/sync.sh).
import csv, json, glob, os, sys, statistics as st
root = os.path.dirname(os.path.abspath(__file__)) + '/../..'
# sys.argv: NAME HEADER.md [FOOTER.md]
T975 = {1: 12.706204736, 2: 4.302652730, 3: 3.182446305, 4: 2.776445105}

def runs_of(folder):
    out = []
    for m in sorted(glob.glob(f'{folder}/*/*/seed*/metrics.json')):
        r = json.load(open(m))
        if r['status'] != 'completed': continue
        arm = m.split('/')[-3]; seed = int(m.split('/')[-2][4:])
        ep = r['epochs']
        gated = [e for e in ep if e['epoch'] > 0] if r['options']['srate'] == 'Constrain' else []
        out.append(dict(arm=arm, seed=seed, final=ep[-1]['testTop1'], best=max(e['testTop1'] for e in ep),
                        s=ep[-1]['s'], z=(sum(e['z'] for e in gated) / len(gated)) if gated else None,
                        open=(sum(e['gateOpenFraction'] for e in gated) / len(gated)) if gated else None,
                        wall=sum(e['seconds'] for e in ep), target=r['options']['srateTarget'] if gated else None,
                        term=(sum(e['z'] * (r['options']['srateWeight'] or 0) * e['srateLoss'] for e in gated) / len(gated)) if gated else None,
                        ce=sum(e['trainCe'] for e in ep[1:]) / max(1, len(ep) - 1), epochs=len(ep)))
    return out

def ms(xs):
    xs = [x for x in xs if x is not None]
    if not xs: return '–'
    return f'{st.mean(xs):.2f} ± {st.stdev(xs):.2f}' if len(xs) > 1 else f'{xs[0]:.2f}'

def paired(runs, arm, key):
    b = {r['seed']: r[key] for r in runs if r['arm'] == 'baseline'}
    d = [r[key] - b[r['seed']] for r in runs if r['arm'] == arm and r['seed'] in b]
    if not d: return '–', 0
    if len(d) < 2: return f'{d[0]:+.2f} (1 seed, no interval)', 1
    m = st.mean(d); h = T975[len(d) - 1] * st.stdev(d) / len(d) ** 0.5
    return f'{m:+.2f} [{m - h:+.2f}, {m + h:+.2f}]', len(d)

def table(runs):
    arms = ['baseline'] + sorted({r['arm'] for r in runs} - {'baseline'})
    lines = ['| arm | seeds | final top-1 % | best top-1 % | Δ final (95 % CI) | Δ best (95 % CI) | final S | gate z | steps z > 0.5 | term / CE |',
             '|---|---|---|---|---|---|---|---|---|---|']
    for a in arms:
        rs = [r for r in runs if r['arm'] == a]
        if not rs: continue
        df = paired(runs, a, 'final')[0] if a != 'baseline' else '–'
        db = paired(runs, a, 'best')[0] if a != 'baseline' else '–'
        s = [r['s'] for r in rs]
        sS = f'{st.mean(s):.4f} ± {st.stdev(s):.4f}' if len(s) > 1 else f'{s[0]:.4f}'
        z = ms([r['z'] for r in rs]) if a != 'baseline' else '–'
        op = [r['open'] for r in rs if r['open'] is not None]
        o = f'{100 * st.mean(op):.0f} %' if op else '–'
        tc = [r['term'] / r['ce'] for r in rs if r['term'] is not None]
        t = f'{st.mean(tc):.1e}' if tc else '–'
        lines.append(f'| {a} | {len(rs)} | {ms([r["final"] for r in rs])} | {ms([r["best"] for r in rs])} | {df} | {db} | {sS} | {z} | {o} | {t} |')
    return '\n'.join(lines)

name, header, footer = sys.argv[1], open(sys.argv[2]).read(), (open(sys.argv[3]).read() if len(sys.argv) > 3 and os.path.exists(sys.argv[3]) else '')
folder = f'{root}/notebooks/measured/{name}'
runs = runs_of(folder)
wall = sum(r['wall'] for r in runs)
epochs = max((r['epochs'] for r in runs), default=0)
cpu_note = (' (wall time on the shared machine; CPU time was not metered per run: a running process sampled with ps had used 236 s '
            'of CPU in 1,202 s of wall, about 20 %, so the CPU time is roughly a quarter of this)') if name == 'fashion-mnist-mlp' else \
           ' (wall time of the training loops on the shared machine; see below for the machine and its load)'
summary = open(f'{folder}/summary.txt').readlines()
rule = [l for l in summary if l.startswith('  ') and (' holds ' in l or ' fails ' in l or ' undecided ' in l)]
verdict = [l for l in summary if l.startswith('verdict:')]
body = header + '\n\n## Results (generated from the per-run metrics in this folder)\n\n' + table(runs) + '\n\n' + \
    f'Δ = arm − baseline, paired by seed, in percentage points; Student-t 95 % intervals. Gate z and "steps z > 0.5" are means over ' \
    f'epochs 1-{epochs - 1} (the gate is shut in epoch 0 by rule). "term / CE" is the mean z·λ·½(S − target)² over those epochs divided by the mean cross-entropy: how much of the loss the constraint is. {len(runs)} finished runs; their summed wall time is ' \
    f'{wall / 3600:.2f} h ({wall:.0f} s{cpu_note}).\n\n' + \
    ('Decision rule, applied by `selfsim experiment --summarize-only` (summary.txt):\n\n' + ''.join('- ' + l.strip() + '\n' for l in rule) +
     ''.join('\n**' + l.strip() + '**\n' for l in verdict) + '\n' if rule else
     'Verdict (from summary.txt, computed by `selfsim experiment --summarize-only`):\n\n' +
     ''.join('- ' + l for l in summary if ' − ' in l or 'interval' in l or 'gain' in l) + '\n') + footer
open(f'{folder}/README.md', 'w').write(body)
print(f'{name}: {len(runs)} runs, {wall:.0f} s')
