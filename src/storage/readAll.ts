// Buffers a content stream into one Uint8Array, refusing to grow past a ceiling so a large or
// hostile file cannot exhaust memory.
import { StorageError } from "./errors.ts";

export async function readAll(source: AsyncIterable<Uint8Array>, maxBytes: number, cid: string): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of source) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      throw new StorageError("CONTENT_TOO_LARGE", `content is larger than ${maxBytes} bytes; stream it instead`, {
        cid,
        maxBytes,
      });
    }
    chunks.push(chunk);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
