// Artifact metadata as a trial records it: artifactRecord() makes a new artifact's id, metadata
// and the system attribute Optuna writes (`artifacts:<id>` → the JSON string with snake_case keys,
// mimetype and encoding guessed from the file name as Python's mimetypes does for common types);
// getAllArtifactMeta() lists a trial's artifacts from its system attributes (Optuna's
// get_all_artifact_meta); downloadArtifact() reads one back (Optuna's download_artifact), to bytes
// or, under Node, to a file that must not exist yet.
import type { FrozenTrial } from '../frozen-trial.js';
import { ARTIFACTS_ATTR_PREFIX, checkArtifactId, type ArtifactMeta, type ArtifactStore } from './artifact-store.js';

export type ArtifactBytes = Uint8Array | ArrayBuffer | string;

/** Python's mimetypes.guess_type for common extensions: [type, encoding]. */
const TYPES: Record<string, string> = {
  json: 'application/json', txt: 'text/plain', csv: 'text/csv', html: 'text/html', htm: 'text/html', md: 'text/markdown',
  js: 'text/javascript', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', svg: 'image/svg+xml',
  pdf: 'application/pdf', tar: 'application/x-tar', zip: 'application/zip', xml: 'text/xml',
};
const ENCODINGS: Record<string, string> = { gz: 'gzip', bz2: 'bzip2', xz: 'xz', br: 'br', Z: 'compress' };
export const DEFAULT_MIMETYPE = 'application/octet-stream';

function guessType(filename: string): { mimetype: string | null; encoding: string | null } {
  const exts = filename.split('.').slice(1);
  const own = (table: Record<string, string>, k: string | undefined) => (k !== undefined && Object.hasOwn(table, k) ? table[k]! : null);
  const encoding = own(ENCODINGS, exts.at(-1));
  if (encoding) exts.pop();
  return { mimetype: own(TYPES, exts.at(-1)?.toLowerCase()), encoding };
}

/** Bytes of an artifact given as bytes, an ArrayBuffer or text (UTF-8), copied. */
export function artifactBytes(owner: string, bytes: unknown): Uint8Array {
  if (bytes instanceof Uint8Array) return bytes.slice();
  if (bytes instanceof ArrayBuffer) return new Uint8Array(bytes.slice(0));
  if (typeof bytes === 'string') return new TextEncoder().encode(bytes);
  throw new TypeError(`${owner}: the artifact must be a Uint8Array, an ArrayBuffer or a string, got ${bytes === null ? 'null' : typeof bytes}`);
}

/** A new artifact's metadata and the system attribute (key, value) that records it on its trial. */
export function artifactRecord(filename: unknown, opts: { mimetype?: string; encoding?: string } = {}): { meta: ArtifactMeta; key: string; value: string } {
  if (typeof filename !== 'string' || filename === '' || /[\\/]/.test(filename)) {
    throw new RangeError(`uploadArtifact: the name must be a file name (no '/' or '\\'), got ${JSON.stringify(filename)}`);
  }
  for (const k of ['mimetype', 'encoding'] as const) {
    if (opts[k] !== undefined && (typeof opts[k] !== 'string' || opts[k] === '')) throw new TypeError(`uploadArtifact: ${k} must be a non-empty string, got ${String(opts[k])}`);
  }
  const guess = guessType(filename);
  const meta: ArtifactMeta = {
    artifactId: globalThis.crypto.randomUUID(), filename,
    mimetype: opts.mimetype ?? guess.mimetype ?? DEFAULT_MIMETYPE, encoding: opts.encoding ?? guess.encoding,
  };
  // Python's json.dumps(asdict(ArtifactMeta)): the same keys, order and separators.
  const value = `{"artifact_id": ${JSON.stringify(meta.artifactId)}, "filename": ${JSON.stringify(meta.filename)}, ` +
    `"mimetype": ${JSON.stringify(meta.mimetype)}, "encoding": ${JSON.stringify(meta.encoding)}}`;
  return { meta, key: ARTIFACTS_ATTR_PREFIX + meta.artifactId, value };
}

/**
 * The artifacts attached to a trial (Optuna's get_all_artifact_meta), in the order its storage keeps its
 * system attributes (memory and journal: upload order).
 * @example
 * for (const a of sg.tune.getAllArtifactMeta(study.bestTrial)) console.log(a.filename, a.artifactId);
 */
export function getAllArtifactMeta(trial: Pick<FrozenTrial, 'systemAttrs'>): ArtifactMeta[] {
  const out: ArtifactMeta[] = [];
  for (const [key, raw] of Object.entries(trial.systemAttrs)) {
    if (!key.startsWith(ARTIFACTS_ATTR_PREFIX)) continue;
    let m: Record<string, unknown>;
    try {
      m = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
    } catch {
      throw new RangeError(`system attribute ${key} is not artifact metadata: ${String(raw).slice(0, 80)}`);
    }
    if (!m || typeof m.artifact_id !== 'string' || typeof m.filename !== 'string') {
      throw new RangeError(`system attribute ${key} is not artifact metadata: ${JSON.stringify(raw).slice(0, 80)}`);
    }
    out.push({ artifactId: m.artifact_id, filename: m.filename, mimetype: String(m.mimetype ?? DEFAULT_MIMETYPE), encoding: typeof m.encoding === 'string' ? m.encoding : null });
  }
  return out;
}

/**
 * An artifact's bytes (Optuna's download_artifact); with `filePath` (Node) also written there — a
 * file that already exists is an error, as in Optuna.
 * @example
 * const [model] = sg.tune.getAllArtifactMeta(study.bestTrial);
 * const bytes = await sg.tune.downloadArtifact({ artifactStore: study.artifactStore, artifactId: model.artifactId });
 */
export async function downloadArtifact({ artifactStore, artifactId, filePath }: { artifactStore: ArtifactStore; artifactId: string; filePath?: string }): Promise<Uint8Array> {
  if (!artifactStore || typeof artifactStore.read !== 'function') throw new TypeError('downloadArtifact: artifactStore must be an ArtifactStore');
  const bytes = await artifactStore.read(checkArtifactId(artifactId));
  if (filePath !== undefined) {
    const fs = await import('node:fs/promises');
    try {
      await fs.writeFile(filePath, bytes, { flag: 'wx' });
    } catch (e) {
      if ((e as { code?: string }).code === 'EEXIST') throw new RangeError(`downloadArtifact: file already exists: ${filePath}`);
      throw e;
    }
  }
  return bytes;
}
