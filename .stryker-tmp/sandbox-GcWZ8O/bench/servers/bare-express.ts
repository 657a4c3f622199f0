// @ts-nocheck
// Baseline: bare Express 5 answering a fixed body of the mock's size after a header check.
import express from 'express';

const port = Number(process.argv[2] ?? 0);
const body = 'x'.repeat(Number(process.argv[3] ?? 1000));
const payload = JSON.stringify({ body }).slice(0, Number(process.argv[3] ?? 1000));
const app = express();
app.disable('x-powered-by');
app.set('etag', false);
app.get('/v1/scans', (req, res) => {
  if (!req.headers.authorization?.startsWith('Bearer ')) {
    res.status(401).end();
    return;
  }
  res.type('application/json').send(payload);
});
const server = app.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`));
