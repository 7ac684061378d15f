// node pg-query.mjs <url> <sql>: runs the SQL (one or more statements) with `pg` and prints each
// returned row as `psql -tA` would (fields joined by |, NULL as empty, one row a line); on an error
// prints it and exits 1. The synchronous psql() of postgres-server.ts, without a psql client.
import pg from 'pg';

const [url, sql] = process.argv.slice(2);
const client = new pg.Client({ connectionString: url });
try {
  await client.connect();
  const results = await client.query({ text: sql, rowMode: 'array' });
  for (const r of [results].flat()) {
    for (const row of r.rows ?? []) process.stdout.write(`${row.map((v) => (v === null ? '' : String(v))).join('|')}\n`);
  }
} catch (e) {
  process.stderr.write(`${e.message}\n`);
  process.exitCode = 1;
} finally {
  await client.end().catch(() => undefined);
}
