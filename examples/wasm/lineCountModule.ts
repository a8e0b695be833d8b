// examples/apps/wasi-line-count/line-count.wat written with the encoder, instruction for
// instruction, so `npm run`-free Node can produce the .wasm the example app ships.
import { encodeModule, op, type FunctionType } from "./wasmEncoder.ts";

const PATH_OPEN: FunctionType = { params: ["i32", "i32", "i32", "i32", "i32", "i64", "i64", "i32", "i32"], results: ["i32"] };
const FD_IO: FunctionType = { params: ["i32", "i32", "i32", "i32"], results: ["i32"] };
const PROC_EXIT: FunctionType = { params: ["i32"], results: [] };
const START: FunctionType = { params: [], results: [] };

/** Function indices: the four imports, then _start. */
const [pathOpen, fdRead, fdWrite, procExit] = [0, 1, 2, 3];
/** Local indices of _start. */
const [fd, n, lines, i, errno, p] = [0, 1, 2, 3, 4, 5];
/** Memory layout (see the .wat). */
const DATASET = 0;
const LINES_TXT = 16;
const READ_IOVEC = 32;
const OPENED_FD = 48;
const COUNT = 52;
const WRITE_IOVEC = 56;
const TEXT_END = 1000;
const BUFFER = 1024;
const BUFFER_BYTES = 32768;
const RIGHT_FD_READ = 2n;
const RIGHT_FD_WRITE = 64n;
const OFLAGS_CREAT_TRUNC = 9;

/** `if (errno) proc_exit(errno)` */
const exitOnError = [op.localGet(errno), op.if(), op.localGet(errno), op.call(procExit), op.end()];

export function lineCountModule(): Uint8Array {
  return encodeModule({
    types: [PATH_OPEN, FD_IO, PROC_EXIT, START],
    imports: [
      { module: "wasi_snapshot_preview1", field: "path_open", type: 0 },
      { module: "wasi_snapshot_preview1", field: "fd_read", type: 1 },
      { module: "wasi_snapshot_preview1", field: "fd_write", type: 1 },
      { module: "wasi_snapshot_preview1", field: "proc_exit", type: 2 },
    ],
    memoryPages: 1,
    data: [
      { offset: DATASET, bytes: Buffer.from("dataset") },
      { offset: LINES_TXT, bytes: Buffer.from("lines.txt") },
    ],
    exports: [{ name: "_start", function: 4 }],
    functions: [
      {
        type: 3,
        i32Locals: 6,
        body: [
          op.i32Const(4), op.i32Const(0), op.i32Const(DATASET), op.i32Const(7), op.i32Const(0),
          op.i64Const(RIGHT_FD_READ), op.i64Const(0n), op.i32Const(0), op.i32Const(OPENED_FD), op.call(pathOpen), op.localSet(errno),
          ...exitOnError,
          op.i32Const(OPENED_FD), op.i32Load(), op.localSet(fd),
          op.i32Const(READ_IOVEC), op.i32Const(BUFFER), op.i32Store(),
          op.i32Const(READ_IOVEC + 4), op.i32Const(BUFFER_BYTES), op.i32Store(),
          op.block(),
          op.loop(),
          op.localGet(fd), op.i32Const(READ_IOVEC), op.i32Const(1), op.i32Const(COUNT), op.call(fdRead), op.localSet(errno),
          ...exitOnError,
          op.i32Const(COUNT), op.i32Load(), op.localSet(n),
          op.localGet(n), op.i32Eqz(), op.brIf(1),
          op.i32Const(0), op.localSet(i),
          op.block(),
          op.loop(),
          op.localGet(i), op.localGet(n), op.i32GeU(), op.brIf(1),
          op.i32Const(BUFFER), op.localGet(i), op.i32Add(), op.i32Load8U(), op.i32Const(10), op.i32Eq(),
          op.if(), op.localGet(lines), op.i32Const(1), op.i32Add(), op.localSet(lines), op.end(),
          op.localGet(i), op.i32Const(1), op.i32Add(), op.localSet(i),
          op.br(0),
          op.end(),
          op.end(),
          op.br(0),
          op.end(),
          op.end(),
          op.i32Const(TEXT_END), op.localSet(p),
          op.localGet(p), op.i32Const(10), op.i32Store8(),
          op.loop(),
          op.localGet(p), op.i32Const(1), op.i32Sub(), op.localSet(p),
          op.localGet(p), op.i32Const(48), op.localGet(lines), op.i32Const(10), op.i32RemU(), op.i32Add(), op.i32Store8(),
          op.localGet(lines), op.i32Const(10), op.i32DivU(), op.localSet(lines),
          op.localGet(lines), op.brIf(0),
          op.end(),
          op.i32Const(6), op.i32Const(0), op.i32Const(LINES_TXT), op.i32Const(9), op.i32Const(OFLAGS_CREAT_TRUNC),
          op.i64Const(RIGHT_FD_WRITE), op.i64Const(0n), op.i32Const(0), op.i32Const(OPENED_FD), op.call(pathOpen), op.localSet(errno),
          ...exitOnError,
          op.i32Const(WRITE_IOVEC), op.localGet(p), op.i32Store(),
          op.i32Const(WRITE_IOVEC + 4), op.i32Const(TEXT_END + 1), op.localGet(p), op.i32Sub(), op.i32Store(),
          op.i32Const(OPENED_FD), op.i32Load(), op.i32Const(WRITE_IOVEC), op.i32Const(1), op.i32Const(COUNT), op.call(fdWrite),
          op.call(procExit),
        ],
      },
    ],
  });
}
