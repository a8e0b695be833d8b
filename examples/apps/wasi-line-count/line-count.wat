;; line-count: counts the newline characters of <input>/dataset and writes the count, in decimal and
;; followed by a newline, to <output>/lines.txt. WASI preview 1. The Continuum wasi runtime preopens
;; the bundle, input, secrets and output directories as file descriptors 3, 4, 5 and 6, in that order.
;; A failing WASI call ends the module with that call's errno as exit code.
;; Built by examples/wasm/buildWasmExamples.ts (examples/wasm/lineCountModule.ts is this program
;; written with the encoder), because no WAT assembler is installed here.
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "dataset")
  (data (i32.const 16) "lines.txt")
  ;; 32: read iovec {1024, 32768}   48: opened fd   52: bytes read or written   56: write iovec
  ;; 1000: the decimal text ends here with "\n"   1024: read buffer
  (func (export "_start")
    (local $fd i32) (local $n i32) (local $lines i32) (local $i i32) (local $errno i32) (local $p i32)
    ;; open dataset in the input directory (fd 4) for reading (rights: fd_read)
    (local.set $errno (call $path_open (i32.const 4) (i32.const 0) (i32.const 0) (i32.const 7)
      (i32.const 0) (i64.const 2) (i64.const 0) (i32.const 0) (i32.const 48)))
    (if (local.get $errno) (then (call $proc_exit (local.get $errno))))
    (local.set $fd (i32.load (i32.const 48)))
    (i32.store (i32.const 32) (i32.const 1024))
    (i32.store (i32.const 36) (i32.const 32768))
    (block $done
      (loop $read
        (local.set $errno (call $fd_read (local.get $fd) (i32.const 32) (i32.const 1) (i32.const 52)))
        (if (local.get $errno) (then (call $proc_exit (local.get $errno))))
        (local.set $n (i32.load (i32.const 52)))
        (br_if $done (i32.eqz (local.get $n)))
        (local.set $i (i32.const 0))
        (block $scanned
          (loop $scan
            (br_if $scanned (i32.ge_u (local.get $i) (local.get $n)))
            (if (i32.eq (i32.load8_u (i32.add (i32.const 1024) (local.get $i))) (i32.const 10))
              (then (local.set $lines (i32.add (local.get $lines) (i32.const 1)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $scan)))
        (br $read)))
    ;; the count in decimal, written backwards from offset 1000
    (local.set $p (i32.const 1000))
    (i32.store8 (local.get $p) (i32.const 10))
    (loop $digits
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p) (i32.add (i32.const 48) (i32.rem_u (local.get $lines) (i32.const 10))))
      (local.set $lines (i32.div_u (local.get $lines) (i32.const 10)))
      (br_if $digits (local.get $lines)))
    ;; create lines.txt in the output directory (fd 6): oflags creat|trunc, rights fd_write
    (local.set $errno (call $path_open (i32.const 6) (i32.const 0) (i32.const 16) (i32.const 9)
      (i32.const 9) (i64.const 64) (i64.const 0) (i32.const 0) (i32.const 48)))
    (if (local.get $errno) (then (call $proc_exit (local.get $errno))))
    (i32.store (i32.const 56) (local.get $p))
    (i32.store (i32.const 60) (i32.sub (i32.const 1001) (local.get $p)))
    (call $proc_exit (call $fd_write (i32.load (i32.const 48)) (i32.const 56) (i32.const 1) (i32.const 52)))))
