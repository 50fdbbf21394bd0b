import autocannon from 'autocannon';
import { API, fundHotWallet, payoutsAtScale, startService, viewer } from './support/service';

async function main() {
  const route = process.argv[2];
  const service = await startService({
    name: 'prof',
    policy: (doc) => {
      payoutsAtScale(doc);
      for (const name of Object.keys(doc.rateLimits)) doc.rateLimits[name] = { limit: 1_000_000, ttlSeconds: 1 };
    },
    cpuProfileDir: process.env.PROF_DIR,
  });
  await fundHotWallet(service, 10);
  const url = route === 'health' ? `${service.url}/health/live` : route === 'balance' ? `${service.url}${API}/balance/${service.hotWallet}` : `${service.url}${API}/contract/info`;
  const headers = route === 'health' ? {} : viewer;
  await autocannon({ url, headers, connections: 50, duration: 2 });
  const r = await autocannon({ url, headers, connections: 50, duration: 10 });
  console.log(route, r.requests.average, r.non2xx);
  await service.stop();
}
main().catch((e) => { console.error(e); process.exit(1); });
