/**
 * One line of a cart: a product and how many of it.
 */
export interface Line {
  sku: string;
  quantity: number;
  unitCents: number;
}

/**
 * The cart's total, in cents.
 *
 * @param lines - The cart's lines.
 * @returns The sum of every line's price.
 */
export function totalCents(lines: readonly Line[]): number {
  return lines.reduce((sum, line) => sum + line.quantity * line.unitCents, 0);
}

export class Cart {
  private readonly lines = new Map<string, Line>();

  constructor(readonly currency: string) {}

  add(sku: string, unitCents: number, quantity = 1): void {
    if (!Number.isInteger(quantity) || quantity <= 0) {
      throw new RangeError(`quantity must be a positive integer, got ${quantity}`);
    }
    const line = this.lines.get(sku);
    this.lines.set(sku, { sku, unitCents, quantity: (line?.quantity ?? 0) + quantity });
  }

  private clear(): void {
    this.lines.clear();
  }

  get total(): number {
    return totalCents([...this.lines.values()]);
  }
}

export const formatCents = (cents: number, currency: string): string =>
  `${(cents / 100).toFixed(2)} ${currency}`;
