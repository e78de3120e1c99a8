process.env.RECHECK_BACKEND = 'pure';
import { collectRegexes } from '/work/wt/fid-perf/tests/redos/collect.ts';
const { check } = await import('recheck');
const all = collectRegexes('/work/wt/fid-perf');
const bySrc = new Map<string, typeof all>();
for (const r of all) { const k = r.flags + '\u0000' + r.source; (bySrc.get(k) ?? bySrc.set(k, []).get(k)!).push(r); }
const t0 = Date.now();
let bad = 0; const slow: [number,string][] = [];
for (const [k, rs] of bySrc) {
  const [flags, source] = k.split('\u0000');
  const t = Date.now();
  const d = await check(source!, flags!, { timeout: 10000 });
  const ms = Date.now() - t; slow.push([ms, source!]);
  if (d.status !== 'safe') { bad++; console.log(d.status, d.status==='vulnerable'? d.complexity.type + ' ' + (d.complexity.summary) : (d as any).error?.kind, rs.map(r=>r.file+':'+r.line).join(','), '/'+source+'/'+flags); }
}
console.log('total ms', Date.now()-t0, 'bad', bad, 'of', bySrc.size);
slow.sort((a,b)=>b[0]-a[0]); console.log(slow.slice(0,8));
