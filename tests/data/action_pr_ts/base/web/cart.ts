import { Injectable } from "./di";

/**
 * A line of the cart.
 */
export interface Line {
  sku: string;
  quantity: number;
}

/**
 * Sum of the quantities.
 *
 * @param lines - The cart's lines.
 * @returns The number of items.
 */
export function itemCount(lines: Line[]): number {
  return lines.reduce((sum, line) => sum + line.quantity, 0);
}
