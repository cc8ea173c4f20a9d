// The speed baseline of bench/listen/run.sh: VADER (npm vader-sentiment, the reference JavaScript port) scoring
// the same posts, timed in-process (CPU time, as the machine is shared) around the scoring loop only (reading and parsing the file are excluded).
// Usage: node vader_baseline.js POSTS.jsonl REPEAT
'use strict';
const fs = require('fs');
const path = require('path');
const vader = require(path.join(__dirname, '..', '..', 'node_modules', 'vader-sentiment'));

const [file, repeatArg] = process.argv.slice(2);
const repeat = parseInt(repeatArg || '1', 10);
const texts = fs.readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l).text);
let checksum = 0;
// An untimed warm-up pass so the JIT has compiled the scoring code: the figure is VADER at its best.
for (const t of texts.slice(0, 3000)) checksum += vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
const start = process.hrtime.bigint();
const cpuStart = process.cpuUsage();
for (let r = 0; r < repeat; ++r) {
  for (const t of texts) checksum += vader.SentimentIntensityAnalyzer.polarity_scores(t).compound;
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
const cpu = process.cpuUsage(cpuStart);
const cpuSeconds = (cpu.user + cpu.system) / 1e6;
const posts = texts.length * repeat;
console.log(JSON.stringify({posts, seconds, cpu_seconds: cpuSeconds, posts_per_cpu_second: posts / cpuSeconds,
                            checksum}));
