// Preloaded into the devnet's Hardhat node process (node --import): the parent holds this
// process's stdin open, so its end means the parent died (even by SIGKILL) and the node must go too.
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
