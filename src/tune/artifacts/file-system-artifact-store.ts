// FileSystemArtifactStore (Optuna's): each artifact is the file `<basePath>/<artifact id>`, so a
// directory Optuna's FileSystemArtifactStore wrote is readable here and ours there. The default
// store of a journal file `f` is `f.artifacts/`. Node (or Deno/Bun) file system, imported on first
// use. Contract: the directory is made on first write; a write goes to a temporary file renamed into
// place, so a reader never sees half an artifact; ids are checked never to be paths.
import { ArtifactNotFound, checkArtifactId, type ArtifactStore } from './artifact-store.js';

type Fs = typeof import('node:fs/promises');

/**
 * Artifacts as files in a directory.
 * @example
 * const study = await sg.tune.createStudy({ storage: './sweep.log', artifactStore: new sg.tune.FileSystemArtifactStore('./artifacts') });
 */
export class FileSystemArtifactStore implements ArtifactStore {
  private fs: Promise<Fs> | undefined;

  constructor(readonly basePath: string) {
    if (typeof basePath !== 'string' || basePath === '') throw new TypeError(`FileSystemArtifactStore: basePath must be a non-empty string, got ${String(basePath)}`);
  }

  private file(artifactId: string): string {
    return `${this.basePath.replace(/[\\/]+$/, '')}/${checkArtifactId(artifactId)}`;
  }

  private load(): Promise<Fs> {
    return (this.fs ??= import('node:fs/promises'));
  }

  async write(artifactId: string, bytes: Uint8Array): Promise<void> {
    const fs = await this.load(), path = this.file(artifactId);
    await fs.mkdir(this.basePath, { recursive: true });
    const tmp = `${path}.${globalThis.crypto.randomUUID()}.tmp`;
    try {
      await fs.writeFile(tmp, bytes);
      await fs.rename(tmp, path);
    } catch (e) {
      await fs.rm(tmp, { force: true }).catch(() => undefined);
      throw e;
    }
  }

  async read(artifactId: string): Promise<Uint8Array> {
    const fs = await this.load();
    try {
      return new Uint8Array(await fs.readFile(this.file(artifactId)));
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') throw new ArtifactNotFound(artifactId, this.basePath);
      throw e;
    }
  }

  async remove(artifactId: string): Promise<void> {
    const fs = await this.load();
    try {
      await fs.unlink(this.file(artifactId));
    } catch (e) {
      if ((e as { code?: string }).code === 'ENOENT') throw new ArtifactNotFound(artifactId, this.basePath);
      throw e;
    }
  }
}
