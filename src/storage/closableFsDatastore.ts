// An on-disk datastore that refuses writes once closed: libp2p still saves its own peer record about
// a second after stopping, and that late write must not recreate a directory its owner has removed.
import { FsDatastore } from "datastore-fs";
import { StorageError } from "./errors.ts";

type PutArguments = Parameters<FsDatastore["put"]>;
type DeleteArguments = Parameters<FsDatastore["delete"]>;

export class ClosableFsDatastore extends FsDatastore {
  #closed = false;

  override async open(): Promise<void> {
    await super.open();
    this.#closed = false;
  }

  override async close(): Promise<void> {
    this.#closed = true;
    await super.close();
  }

  override async put(...[key, value, options]: PutArguments): ReturnType<FsDatastore["put"]> {
    this.#assertOpen();
    return super.put(key, value, options);
  }

  override async delete(...[key, options]: DeleteArguments): Promise<void> {
    this.#assertOpen();
    return super.delete(key, options);
  }

  #assertOpen(): void {
    if (this.#closed) {
      throw new StorageError("STORAGE_STOPPED", "the IPFS datastore is closed", { path: this.path });
    }
  }
}
