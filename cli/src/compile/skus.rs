//! The product export's index, as every reader of orders and counts needs it.

use std::collections::HashMap;

use treue_core::catalogue::ProductId;
use treue_core::shared::TextHash;

/// Product ids by SKU. SKUs are the merchant's, not visitors', so the
/// catalogue's fast unkeyed hash is safe: the orders look one up a line,
/// 50 million times for a million-product shop.
pub type Skus = HashMap<String, ProductId, TextHash>;
