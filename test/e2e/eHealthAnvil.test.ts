// The e-Health flow end to end with the chain on Anvil, an independent node: nothing in the stack
// may lean on Hardhat (see eHealthFlow.ts for the flow and what it must show).
import { describeEHealthEndToEnd } from "./eHealthFlow.ts";

describeEHealthEndToEnd("anvil");
