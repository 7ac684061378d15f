// InMemoryArtifactStore: artifacts in this process's memory (the default store of an
// InMemoryStorage), gone when it exits. Keeps copies: later changes to a written or read buffer do
// not reach the store.
import { ArtifactNotFound, checkArtifactId, type ArtifactStore } from './artifact-store.js';

/**
 * Artifacts kept in memory.
 * @example
 * const study = await sg.tune.createStudy({ artifactStore: new sg.tune.InMemoryArtifactStore() });
 */
export class InMemoryArtifactStore implements ArtifactStore {
  private readonly files = new Map<string, Uint8Array>();

  async write(artifactId: string, bytes: Uint8Array): Promise<void> {
    this.files.set(checkArtifactId(artifactId), bytes.slice());
  }

  async read(artifactId: string): Promise<Uint8Array> {
    const b = this.files.get(checkArtifactId(artifactId));
    if (!b) throw new ArtifactNotFound(artifactId, 'memory');
    return b.slice();
  }

  async remove(artifactId: string): Promise<void> {
    if (!this.files.delete(checkArtifactId(artifactId))) throw new ArtifactNotFound(artifactId, 'memory');
  }
}
