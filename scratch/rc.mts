// usage: tsx scratch/rc.mts 'flags' 'pattern' ['flags' 'pattern' ...]
process.env.RECHECK_BACKEND = 'pure';
const { check } = await import('recheck');
const a = process.argv.slice(2);
for (let i = 0; i < a.length; i += 2) {
  const t = Date.now();
  let d = await check(a[i+1]!, a[i]!, { timeout: 10000 });
  if (d.status === 'unknown') d = await check(a[i+1]!, a[i]!, { timeout: 10000, checker: 'fuzz' });
  console.log(d.status, d.status === 'vulnerable' ? d.complexity.summary + ' ' + d.attack.pattern : '', Date.now() - t + 'ms', '/' + a[i+1] + '/' + a[i]);
}
