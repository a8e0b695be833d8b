// Token amounts as people read them: base units (the uint256 the chain counts) written in whole
// tokens with the token's symbol, thousands grouped, exact to the last decimal ("1,234.5 CTD").

/** The payment token's symbol and decimals, as its contract states them. */
export type TokenUnit = { readonly symbol: string; readonly decimals: number };

/** "1,234.5" for 1234500000000000000000 base units of an 18-decimal token; never rounded. */
export function tokenQuantity(baseUnits: bigint | string, decimals: number): string {
  const value = BigInt(baseUnits);
  const sign = value < 0n ? "-" : "";
  const digits = (value < 0n ? -value : value).toString().padStart(decimals + 1, "0");
  const whole = digits.slice(0, digits.length - decimals).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, "");
  return `${sign}${whole}${fraction === "" ? "" : `.${fraction}`}`;
}

/** "1,234.5 CTD". */
export function formatTokenAmount(baseUnits: bigint | string, unit: TokenUnit): string {
  return `${tokenQuantity(baseUnits, unit.decimals)} ${unit.symbol}`;
}
