// PostgresArtifactStore: the artifacts of a PostgreSQL study, as rows of simdgrad_artifacts
// (artifact_id, content bytea) in the study's own database (schema version 2, postgres-schema.ts),
// through the storage's connection, so its retries apply. Contract: a write is idempotent (a retry
// after a lost reply rewrites the same row); read and remove of an unknown id reject with
// ArtifactNotFound. Made by PostgresStorage.artifactStore().
import { ArtifactNotFound, checkArtifactId, type ArtifactStore } from '../../artifacts/artifact-store.js';
import type { PgConnection } from './postgres-connection.js';

export class PostgresArtifactStore implements ArtifactStore {
  constructor(private readonly db: PgConnection, private readonly where: string) {}

  async write(artifactId: string, bytes: Uint8Array): Promise<void> {
    await this.db.query(`INSERT INTO simdgrad_artifacts (artifact_id, content) VALUES ($1, $2)
      ON CONFLICT (artifact_id) DO UPDATE SET content = EXCLUDED.content`,
    [checkArtifactId(artifactId), Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)]);
  }

  async read(artifactId: string): Promise<Uint8Array> {
    const rows = await this.db.query('SELECT content FROM simdgrad_artifacts WHERE artifact_id = $1', [checkArtifactId(artifactId)]);
    if (!rows.length) throw new ArtifactNotFound(artifactId, this.where);
    const b = rows[0]!.content as Uint8Array;
    return new Uint8Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
  }

  async remove(artifactId: string): Promise<void> {
    const rows = await this.db.query('DELETE FROM simdgrad_artifacts WHERE artifact_id = $1 RETURNING 1', [checkArtifactId(artifactId)]);
    if (!rows.length) throw new ArtifactNotFound(artifactId, this.where);
  }
}
