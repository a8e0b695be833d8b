// A small WebAssembly binary encoder for the example modules: just the sections, types and
// instructions they use, each named as in the text format (WAT), so a module written with it reads
// like its .wat file. No WAT assembler is installed in this project; this keeps the .wasm files
// reproducible from source with nothing but Node.

export type ValueType = "i32" | "i64";
export type FunctionType = { params: ValueType[]; results: ValueType[] };
export type Instruction = number[];

const VALUE_TYPE: Record<ValueType, number> = { i32: 0x7f, i64: 0x7e };
const EMPTY_BLOCK = 0x40;

export function unsigned(value: number): number[] {
  const bytes: number[] = [];
  let rest = value >>> 0;
  do {
    const byte = rest & 0x7f;
    rest >>>= 7;
    bytes.push(rest === 0 ? byte : byte | 0x80);
  } while (rest !== 0);
  return bytes;
}

export function signed(value: bigint): number[] {
  const bytes: number[] = [];
  let rest = value;
  for (;;) {
    const byte = Number(rest & 0x7fn);
    rest >>= 7n;
    const done = (rest === 0n && (byte & 0x40) === 0) || (rest === -1n && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}

const name = (text: string): number[] => {
  const bytes = [...Buffer.from(text, "utf8")];
  return [...unsigned(bytes.length), ...bytes];
};
const vector = (items: number[][]): number[] => [...unsigned(items.length), ...items.flat()];
const section = (id: number, content: number[]): number[] => [id, ...unsigned(content.length), ...content];
const memarg = (align: number, offset: number): number[] => [...unsigned(align), ...unsigned(offset)];

/** The instructions the examples use, by their text-format names. */
export const op = {
  localGet: (index: number): Instruction => [0x20, ...unsigned(index)],
  localSet: (index: number): Instruction => [0x21, ...unsigned(index)],
  i32Const: (value: number): Instruction => [0x41, ...signed(BigInt(value))],
  i64Const: (value: bigint): Instruction => [0x42, ...signed(value)],
  call: (index: number): Instruction => [0x10, ...unsigned(index)],
  block: (): Instruction => [0x02, EMPTY_BLOCK],
  loop: (): Instruction => [0x03, EMPTY_BLOCK],
  if: (): Instruction => [0x04, EMPTY_BLOCK],
  end: (): Instruction => [0x0b],
  br: (depth: number): Instruction => [0x0c, ...unsigned(depth)],
  brIf: (depth: number): Instruction => [0x0d, ...unsigned(depth)],
  i32Load: (offset = 0): Instruction => [0x28, ...memarg(2, offset)],
  i32Load8U: (offset = 0): Instruction => [0x2d, ...memarg(0, offset)],
  i32Store: (offset = 0): Instruction => [0x36, ...memarg(2, offset)],
  i32Store8: (offset = 0): Instruction => [0x3a, ...memarg(0, offset)],
  i32Eqz: (): Instruction => [0x45],
  i32Eq: (): Instruction => [0x46],
  i32GeU: (): Instruction => [0x4f],
  i32Add: (): Instruction => [0x6a],
  i32Sub: (): Instruction => [0x6b],
  i32DivU: (): Instruction => [0x6e],
  i32RemU: (): Instruction => [0x70],
};

export interface ModuleSpec {
  types: FunctionType[];
  /** Imported functions: module, field and type index; they take the first function indices. */
  imports: { module: string; field: string; type: number }[];
  /** Defined functions: type index, extra locals (all i32) and body. */
  functions: { type: number; i32Locals: number; body: Instruction[] }[];
  /** Pages of linear memory (64 KiB each), exported as "memory". */
  memoryPages: number;
  exports: { name: string; function: number }[];
  /** Active data segments at constant offsets. */
  data: { offset: number; bytes: Uint8Array }[];
}

export function encodeModule(spec: ModuleSpec): Uint8Array {
  const types = vector(
    spec.types.map((type) => [0x60, ...vector(type.params.map((p) => [VALUE_TYPE[p]])), ...vector(type.results.map((r) => [VALUE_TYPE[r]]))]),
  );
  const imports = vector(spec.imports.map((entry) => [...name(entry.module), ...name(entry.field), 0x00, ...unsigned(entry.type)]));
  const functions = vector(spec.functions.map((fn) => unsigned(fn.type)));
  const memory = vector([[0x00, ...unsigned(spec.memoryPages)]]);
  const exports = vector([
    [...name("memory"), 0x02, 0x00],
    ...spec.exports.map((entry) => [...name(entry.name), 0x00, ...unsigned(entry.function)]),
  ]);
  const code = vector(
    spec.functions.map((fn) => {
      const locals = fn.i32Locals === 0 ? vector([]) : vector([[...unsigned(fn.i32Locals), VALUE_TYPE.i32]]);
      const body = [...locals, ...fn.body.flat(), 0x0b];
      return [...unsigned(body.length), ...body];
    }),
  );
  const data = vector(spec.data.map((segment) => [0x00, ...op.i32Const(segment.offset), 0x0b, ...unsigned(segment.bytes.length), ...segment.bytes]));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types),
    ...section(2, imports),
    ...section(3, functions),
    ...section(5, memory),
    ...section(7, exports),
    ...section(10, code),
    ...section(11, data),
  ]);
}
