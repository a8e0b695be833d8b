// The payment token's unit read from its contract (ERC-20 `symbol` and `decimals`), so amounts are
// shown in the token the deployment really uses rather than in a name written into the code.
import { Contract, type Provider } from "ethers";
import type { TokenUnit } from "../core/tokenAmount.ts";

const ERC20_METADATA = ["function symbol() view returns (string)", "function decimals() view returns (uint8)"];

export async function readTokenUnit(provider: Provider, token: string): Promise<TokenUnit> {
  const contract = new Contract(token, ERC20_METADATA, provider);
  const [symbol, decimals] = (await Promise.all([contract.getFunction("symbol")(), contract.getFunction("decimals")()])) as [string, bigint];
  return { symbol, decimals: Number(decimals) };
}
