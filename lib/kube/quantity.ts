import { Size, SizeRoundingBehavior } from 'cdk8s';
/**
 * Parsing of Kubernetes quantities, for comparisons (requests <= limits, storage minimums).
 * Returns undefined for strings that are not quantities, so callers can report them.
 */
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL: Record<string, number> = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;

export function parseQuantity(value: string | number): number | undefined {
  if (typeof value === 'number') return value;
  const match = QUANTITY.exec(value.trim());
  if (!match) return undefined;
  const amount = Number(match[1]);
  if (Number.isNaN(amount)) return undefined;
  const suffix = match[2] ?? '';
  return amount * (BINARY[suffix] ?? DECIMAL[suffix]);
}

/** A Size as a Kubernetes quantity string: whole GiB as `Gi`, otherwise whole MiB as `Mi`. */
export function sizeToQuantityString(size: Size): string {
  const gib = size.toGibibytes({ rounding: SizeRoundingBehavior.NONE });
  return Number.isInteger(gib) ? `${gib}Gi` : `${size.toMebibytes()}Mi`;
}
