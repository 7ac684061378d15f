// ArtifactStore: where the files a trial attaches live (Optuna's ArtifactStore protocol: write,
// read, remove by artifact id); implementations beside this file (memory, file system) and in
// storages/postgres/ (a table). The artifact's metadata is not here: it is a system attribute of its
// trial, `artifacts:<id>` → the JSON string {"artifact_id", "filename", "mimetype", "encoding"}, as
// Optuna records it, so Optuna (≥ 4.0, get_all_artifact_meta) lists our artifacts and we list its.
// Contract: ids are uuids (letters, digits, '-', '_', '.'; never a path); write replaces nothing a
// reader can see half-written; read of an unknown id rejects with ArtifactNotFound.

/** What an artifact store does (Optuna's ArtifactStore, with bytes for streams). */
export interface ArtifactStore {
  /** Stores `bytes` under `artifactId`. */
  write(artifactId: string, bytes: Uint8Array): Promise<void>;
  /** The bytes stored under `artifactId`; rejects with ArtifactNotFound if there are none. */
  read(artifactId: string): Promise<Uint8Array>;
  /** Deletes the artifact; rejects with ArtifactNotFound if there is none. */
  remove(artifactId: string): Promise<void>;
}

/** An artifact's metadata, as its trial's system attribute records it (Optuna's ArtifactMeta). */
export interface ArtifactMeta {
  artifactId: string;
  filename: string;
  mimetype: string;
  /** A Content-Encoding such as 'gzip', or null. */
  encoding: string | null;
}

/** The prefix of the system attributes that hold artifact metadata (Optuna's ARTIFACTS_ATTR_PREFIX). */
export const ARTIFACTS_ATTR_PREFIX = 'artifacts:';

/** No artifact has this id (Optuna's optuna.artifacts.exceptions.ArtifactNotFound). */
export class ArtifactNotFound extends Error {
  override name = 'ArtifactNotFound';
  constructor(readonly artifactId: string, where: string) {
    super(`artifact ${artifactId} not found in ${where}`);
  }
}

/** Returns `id` if it can name an artifact (a file name, never a path); else a RangeError. */
export function checkArtifactId(id: unknown): string {
  if (typeof id !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(id) || /^\.+$/.test(id)) {
    throw new RangeError(`artifact id must be 1–128 letters, digits, '-', '_' or '.' (not a path), got ${JSON.stringify(id)}`);
  }
  return id;
}
