// @ts-nocheck
// The limit: node:http answering the same fixed body after the same header check.
import { createServer } from 'node:http';

const port = Number(process.argv[2] ?? 0);
const payload = JSON.stringify({ body: 'x'.repeat(Number(process.argv[3] ?? 1000)) }).slice(0, Number(process.argv[3] ?? 1000));
const server = createServer((req, res) => {
  if (!req.headers.authorization?.startsWith('Bearer ')) {
    res.statusCode = 401;
    res.end();
    return;
  }
  res.setHeader('Content-Type', 'application/json');
  res.end(payload);
});
server.listen(port, '127.0.0.1', () => process.stdout.write(`listening ${(server.address() as { port: number }).port}\n`));
