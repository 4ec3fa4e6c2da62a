// Types for the global `treue` object that /treue/treue.js installs.

/** A line of the shop's cart. */
export interface TreueCartLine {
  sku: string;
  /** Defaults to 1. */
  quantity?: number;
}

/** The visitor as the shop knows them; pass `null` for a guest. Dates are "YYYY-MM-DD", amounts in minor units. */
export interface TreueCustomer {
  id: string;
  /** Customer value segment (ABC analysis) or a key account. */
  segment?: "A" | "B" | "C" | "key_account";
  /** Current point balance. */
  points?: number;
  /** Current tier id, as the rules name it. */
  tier?: string;
  /** Spend in the current tier window, minor units. */
  tier_spend?: number;
  /** Points earned in the current tier window. */
  tier_points?: number;
  /** First day of the customer's rolling tier window. */
  tier_window_start?: string;
  /** Points that lapse soon, and when. */
  expiring?: { points: number; on: string };
  /** In payment default: no instalment or deferred-payment offers. */
  payment_default?: boolean;
  /** Last survey answered or shown, on any device. */
  last_survey?: string;
  last_purchase?: string;
  /** SKUs bought before. */
  purchased?: string[];
  /** Thank-you page: the token the shop's backend signed for this order; sent with the survey answer (verified answers). */
  order_token?: string;
}

export interface TreueApi {
  readonly version: string;
  /**
   * Resolves once the widgets are mounted (`ok: true`) or have given up (`ok: false`). Never rejects.
   * Loading begins at once only for a widget in the first viewport or `data-load="eager"`; otherwise
   * after the page's own loading (README: Embedding treue in a shop).
   */
  readonly ready: Promise<{ ok: boolean }>;
  /** The cart the suggestions are for; call it whenever the cart changes. */
  setCart(lines: TreueCartLine[] | null): void;
  setCustomer(customer: TreueCustomer | null): void;
  /** Look for new or changed mount points now (they are also found on their own). */
  refresh(): void;
  /**
   * Removes everything treue stored on this device (its localStorage keys, the catalogue copy in
   * Cache Storage; see docs/privacy.md); nothing is stored again while this page lives. Never rejects.
   */
  forget(): Promise<void>;
}

/** `detail` of the bubbling `treue:add-to-cart` event. */
export interface TreueAddToCartDetail {
  sku: string;
  quantity: number;
  /** The widget list it came from: "cross_sell", "cart_cross_sell", "upgrade" or "cart_upgrade". */
  list: string;
  /** An upgrade names the SKU it replaces: swap that cart line rather than add. */
  replaces?: string;
}

/** `detail` of the bubbling `treue:redeem` event: the shop's backend books it. */
export interface TreueRedeemDetail {
  reward: string;
  points: number;
}

/**
 * What the README's snippet puts in `window.treue` before the tag loads: each call as
 * `[name, args]` in `q`, replayed in order before the first render.
 */
export interface TreueQueue {
  q: [name: "setCart" | "setCustomer" | "refresh" | "forget", args: unknown[]][];
  setCart?(lines: TreueCartLine[] | null): void;
  setCustomer?(customer: TreueCustomer | null): void;
  refresh?(): void;
  forget?(): void;
}

declare global {
  interface Window {
    treue?: TreueApi | TreueQueue;
  }
  interface DocumentEventMap {
    "treue:add-to-cart": CustomEvent<TreueAddToCartDetail>;
    "treue:redeem": CustomEvent<TreueRedeemDetail>;
    "treue:ready": Event;
  }
}
