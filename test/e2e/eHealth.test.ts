// The e-Health flow end to end on the devnet's default chain, a Hardhat node (see eHealthFlow.ts).
import { describeEHealthEndToEnd } from "./eHealthFlow.ts";

describeEHealthEndToEnd("hardhat");
