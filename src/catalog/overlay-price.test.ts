import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { adjustedPrice } from "./overlay-price.ts";

// kubernetes-sigs/karpenter pkg/cloudprovider/types.go AdjustedPrice.
const rows: [name: string, price: number, change: string, expected: number][] = [
  ["no change given keeps the price", 0.2, "", 0.2],
  ["price: an unsigned figure replaces the price", 0.2, "0.5", 0.5],
  ["price: zero is a price like any other", 0.2, "0", 0],
  ["priceAdjustment: a signed amount is added", 0.2, "+0.05", 0.25],
  ["priceAdjustment: a negative amount is subtracted", 0.2, "-0.05", 0.15],
  ["priceAdjustment: a rise in percent scales the price", 0.2, "+10%", 0.22],
  ["priceAdjustment: a cut in percent scales the price", 0.2, "-15%", 0.17],
  ["priceAdjustment: -100% makes it free", 0.2, "-100%", 0],
  ["priceAdjustment: a price never goes below zero", 0.2, "-1", 0],
];

describe("NodeOverlay price changes (Karpenter's AdjustedPrice)", () => {
  for (const [name, price, change, expected] of rows) {
    it(name, () => assert.ok(Math.abs(adjustedPrice(price, change) - expected) < 1e-12));
  }
});
