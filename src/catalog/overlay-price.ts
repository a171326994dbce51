/**
 * A NodeOverlay's price change applied to an offering's price (kubernetes-sigs/karpenter
 * cloudprovider `AdjustedPrice`): an unsigned figure (`price: "0.5"`) replaces the price; a signed
 * one (`priceAdjustment: "-0.01"`) is added; a signed percentage (`"+10%"`, `"-15%"`) scales it.
 * The result never goes below zero. The CRD's patterns guarantee the text parses.
 */
export function adjustedPrice(price: number, change: string): number {
  if (change === "") return price;
  if (!change.startsWith("+") && !change.startsWith("-")) return Number(change);
  const adjusted = change.endsWith("%")
    ? price * (1 + Number(change.slice(0, -1)) / 100)
    : price + Number(change);
  return Math.max(adjusted, 0);
}
