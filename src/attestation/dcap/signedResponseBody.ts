// Splits a PCS response body {"tcbInfo":{...},"signature":"..."} into the exact text of the signed
// member and its signature. Re-serialising parsed JSON would change bytes the signature covers, so
// the top-level object is scanned by hand: members must be unique, the document an object.
import { DcapError } from "./DcapError.ts";

export interface SignedDocumentText {
  /** The signed member's value exactly as sent. */
  text: string;
  /** Lowercase hex of the r ‖ s signature. */
  signatureHex: string;
}

/** Returns the `member` object's raw text and the `signature`; throws DcapError("MALFORMED_COLLATERAL"). */
export function signedDocumentText(body: string, member: "tcbInfo" | "enclaveIdentity"): SignedDocumentText {
  try {
    JSON.parse(body);
  } catch (error) {
    malformed(`the ${member} response is not JSON`, error);
  }
  const members = topLevelMembers(body);
  const document = members.get(member);
  const signature = members.get("signature");
  if (!document || !document.startsWith("{")) malformed(`the response has no ${member} object`);
  if (!signature || !/^"[0-9a-fA-F]{128}"$/.test(signature)) malformed("the response has no 64-byte hex signature");
  return { text: document, signatureHex: signature.slice(1, -1).toLowerCase() };
}

/** The raw text of each member of the top-level object, refusing a member given twice. */
function topLevelMembers(body: string): Map<string, string> {
  const scanner = new Scanner(body);
  const members = new Map<string, string>();
  scanner.expect("{");
  if (scanner.peek() === "}") return members;
  for (;;) {
    const key = JSON.parse(body.slice(...scanner.stringSpan())) as string;
    scanner.expect(":");
    const start = scanner.skipWhitespace();
    scanner.skipValue();
    if (members.has(key)) malformed(`the response gives "${key}" twice`);
    members.set(key, body.slice(start, scanner.position));
    const next = scanner.next();
    if (next === "}") return members;
    if (next !== ",") malformed("the response is not one JSON object");
  }
}

/** Walks JSON text already known to parse; only spans are needed, values are never built. */
class Scanner {
  readonly #text: string;
  position = 0;

  constructor(text: string) {
    this.#text = text;
  }

  skipWhitespace(): number {
    while (/\s/.test(this.#text[this.position] ?? "")) this.position++;
    return this.position;
  }

  peek(): string {
    this.skipWhitespace();
    return this.#text[this.position] ?? "";
  }

  next(): string {
    const char = this.peek();
    this.position++;
    return char;
  }

  expect(char: string): void {
    if (this.next() !== char) malformed(`the response does not have "${char}" where expected`);
  }

  /** The span [start, end) of the string starting here, quotes included. */
  stringSpan(): [number, number] {
    const start = this.skipWhitespace();
    this.expect('"');
    while (this.#text[this.position] !== '"') {
      if (this.position >= this.#text.length) malformed("unterminated string");
      this.position += this.#text[this.position] === "\\" ? 2 : 1;
    }
    this.position++;
    return [start, this.position];
  }

  skipValue(): void {
    const char = this.peek();
    if (char === '"') {
      this.stringSpan();
      return;
    }
    if (char !== "{" && char !== "[") {
      while (this.position < this.#text.length && !/[\s,}\]]/.test(this.#text[this.position]!)) this.position++;
      return;
    }
    // Objects and arrays: count brackets outside strings.
    let depth = 0;
    do {
      const current = this.peek();
      if (current === '"') {
        this.stringSpan();
        continue;
      }
      if (current === "{" || current === "[") depth++;
      else if (current === "}" || current === "]") depth--;
      this.position++;
    } while (depth > 0 && this.position < this.#text.length);
  }
}

function malformed(message: string, cause?: unknown): never {
  throw new DcapError("MALFORMED_COLLATERAL", message, {}, cause === undefined ? undefined : { cause });
}
