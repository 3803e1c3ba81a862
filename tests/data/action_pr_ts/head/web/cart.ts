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

@Injectable()
export class Cart {
  private readonly lines: Line[] = [];

  constructor(private readonly currency: string) {}

  add(sku: string, quantity = 1): void {
    if (quantity <= 0) {
      throw new RangeError("quantity must be positive");
    }
    this.lines.push({ sku, quantity });
  }

  private find(sku: string): Line | undefined {
    return this.lines.find((line) => line.sku === sku);
  }

  get size(): number {
    return itemCount(this.lines);
  }
}

export const formatTotal = (cents: number, currency: string): string =>
  `${(cents / 100).toFixed(2)} ${currency}`;
