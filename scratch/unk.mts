process.env.RECHECK_BACKEND = 'pure';
const { check } = await import('recheck');
const list: [string,string][] = [
 ['<\\/?(?:iframe|object|embed|link|meta|base|form|svg|math|foreignobject)\\b[^>]*>?','gi'],
 ['^\\s*(?:participant|actor|note|loop|alt|else|opt|par|par_over|and|critical|option|break|rect|box|end|activate|deactivate|autonumber|title|accTitle|accDescr|create|destroy|links?|properties|details)\\b','i'],
 ['^(\\s*)(participant|actor)\\s+(.+?)(?:\\s+as\\s+(.*))?\\s*$','i'],
 ['^\\s*(?:flowchart-elk|flowchart|graph)(?:\\s+[A-Za-z]{1,12})?\\s*(?:;.*)?$',''],
];
for (const [s,f] of list) for (const checker of ['automaton','fuzz'] as const) {
  const t = Date.now();
  const d = await check(s, f, { checker, timeout: 20000 });
  console.log(checker, Date.now()-t, d.status, d.status==='vulnerable'?d.complexity.summary:'', d.status==='unknown'?(d as any).error.kind:'', s.slice(0,40));
}
