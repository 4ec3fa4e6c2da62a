// Types for the global `treue` object that /treue/treue.js installs.

/** A line of the shop's cart. */
export interface TreueCartLine {
  sku: string;
  /** Defaults to 1. */
  quantity?: number;
}

/** The visitor as the shop knows them; pass `null` for a guest. */
export interface TreueCustomer {
  id: string;
  /** Customer value segment: "A", "B", "C" or "key_account". */
  segment?: string;
}

export interface TreueApi {
  readonly version: string;
  /** Resolves once the widgets are mounted (`ok: true`) or have given up (`ok: false`). Never rejects. */
  readonly ready: Promise<{ ok: boolean }>;
  /** The cart the suggestions are for; call it whenever the cart changes. */
  setCart(lines: TreueCartLine[] | null): void;
  setCustomer(customer: TreueCustomer | null): void;
  /** Look for new or changed mount points now (they are also found on their own). */
  refresh(): void;
}

/** `detail` of the bubbling `treue:add-to-cart` event. */
export interface TreueAddToCartDetail {
  sku: string;
  quantity: number;
  /** The widget list it came from, e.g. "cross_sell" or "cart_cross_sell". */
  list: string;
}

declare global {
  interface Window {
    treue?: TreueApi;
  }
  interface DocumentEventMap {
    "treue:add-to-cart": CustomEvent<TreueAddToCartDetail>;
    "treue:ready": Event;
  }
}
