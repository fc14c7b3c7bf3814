import { startTestApi } from './api-server.js';
const t = await startTestApi();
const v = await t.token({ role: 'vendor', storeId: 'vendor-a' });
const a = await t.token({ role: 'admin' });
const n = await t.token({ role: 'analyst' });
for (const [p, tok] of [['/api/v1/vendor/analytics?preset=7d', v], ['/api/v1/vendor/analytics?preset=7d', v], ['/api/v1/admin/analytics?preset=7d', a], ['/api/v1/events/recent?start=2026-11-19T00:00:00Z&end=2026-11-20T00:00:00Z&limit=2', n], ['/api/v1/entities/trending?limit=2', n], ['/api/v1/risk/trends?start=2026-11-19T00:00:00Z&end=2026-11-21T00:00:00Z&bucket=DAY', n], ['/api/v1/vendor/analytics?preset=1y', v], ['/api/v1/vendor/analytics?store_id=vendor-b', v], ['/api/v1/admin/analytics', v], ['/api/v1/admin/analytics', undefined], ['/readyz', undefined], ['/openapi.json', undefined]] as const) {
  const r = await t.get(p, tok);
  console.log(p, r.status, r.headers.get('x-cache'), r.headers.get('etag'), (await r.text()).slice(0, 600));
}
await t.stop();
