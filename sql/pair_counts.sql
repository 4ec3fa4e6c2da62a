-- Pair counts for `treue compile --counts`: what the built-in miner counts
-- (cli/src/compile/mining.rs), counted where the order history lives. One
-- query, the same text on DuckDB and Spark SQL; docs/catalogue.md has the
-- output format and scripts/pair-counts runs it on either engine.
--
-- It reads three tables (or views) that the runner defines:
--   orders(order_id, sku, quantity, date)  the orders export, every column text
--   products(sku)                          the SKUs `treue compile` keeps
--   settings(half_life_days, min_support)  DOUBLE (NULL: no decay), INTEGER
--
-- and returns rows `kind, sku, partner, orders, weight`:
--   total           all orders: N and their summed weight
--   bulk            orders with more than 100 products (counted, no pairs)
--   product  sku    orders with the product: n(A) and weight
--   pair     sku partner   orders with both (sku < partner): n(AB) and weight
--   min_support     the shared orders a pair needed to be written
--   half_life_days  the half-life the weights were made with (none: NULL)
--
-- The rules are the built-in miner's:
-- - A row is used only with a non-empty order_id, a SKU among the products, a
--   quantity that is empty or a whole number of at least 1, and a date that
--   starts YYYY-MM-DD (a time may follow after 'T' or a space). Other rows
--   are skipped, as `treue compile --orders` skips them.
-- - A basket is an order's distinct SKUs: a SKU twice in an order counts once.
--   The built-in reads rows of one order as they come in the file (an order
--   id coming back after another order is a second basket, reported); here an
--   order is all rows with its id, dated by its earliest row. For an export
--   sorted by order with one date per order (what compile expects) they agree.
-- - Orders with more than 100 distinct products (MAX_BASKET) count for N and
--   for each product, but give no pairs.
-- - With a half-life an order weighs 2^(-age / half-life), age in days before
--   the newest order; `orders` stays a plain count (min-support counts orders,
--   not weight). Weights are summed as DECIMAL(38,26), so the sums do not
--   depend on how the engine splits the work, and written as DOUBLE (what the
--   compiler computes with); an order older than about 85 half-lives weighs 0
--   here (the built-in keeps a tiny weight).
-- - Variants (same item_group) are dropped by the compiler, which knows the groups.
--
-- BigQuery: TRY_CAST -> SAFE_CAST; DECIMAL(27,26) and DECIMAL(38,26) ->
-- BIGNUMERIC; DOUBLE -> FLOAT64; CAST(n.newest - b.day AS BIGINT) -> DATE_DIFF(n.newest, b.day, DAY);
-- BIGINT -> INT64; STRING stays; qualify the three tables with their dataset.

WITH
fields AS (
  SELECT
    order_id,
    TRIM(COALESCE(order_id, '')) AS order_text,
    TRIM(COALESCE(sku, '')) AS sku,
    TRIM(COALESCE(quantity, '')) AS quantity,
    TRIM(COALESCE(date, '')) AS date_text
  FROM orders
),
-- SKUs and orders are numbered, so that the pairs are joined and grouped on
-- two integers rather than two strings: at a million products and 50 million
-- order lines the string keys took DuckDB more memory and spill than a shared
-- machine has. A SKU's number follows its text, so sku < partner holds as before.
known AS (
  SELECT sku, ROW_NUMBER() OVER (ORDER BY sku) AS sku_id
  FROM (SELECT DISTINCT TRIM(sku) AS sku FROM products) p
),
kept AS (
  SELECT f.order_id, k.sku_id, TRY_CAST(SUBSTR(f.date_text, 1, 10) AS DATE) AS day
  FROM fields f
  JOIN known k ON f.sku = k.sku
  WHERE f.order_text <> ''
    AND (
      f.quantity = ''
      OR (
        TRANSLATE(CASE WHEN f.quantity LIKE '+%' THEN SUBSTR(f.quantity, 2) ELSE f.quantity END, '0123456789', '') = ''
        AND TRY_CAST(f.quantity AS BIGINT) BETWEEN 1 AND 4294967295
      )
    )
    AND f.date_text LIKE '____-__-__%'
    AND (LENGTH(f.date_text) = 10 OR SUBSTR(f.date_text, 11, 1) IN ('T', ' '))
    AND TRANSLATE(SUBSTR(f.date_text, 1, 4) || SUBSTR(f.date_text, 6, 2) || SUBSTR(f.date_text, 9, 2), '0123456789', '') = ''
    AND TRY_CAST(SUBSTR(f.date_text, 1, 10) AS DATE) IS NOT NULL
),
basket_items AS (
  SELECT order_id, sku_id, MIN(day) AS day
  FROM kept
  GROUP BY order_id, sku_id
),
baskets AS (
  SELECT order_id, ROW_NUMBER() OVER (ORDER BY order_id) AS basket, MIN(day) AS day, COUNT(*) AS size
  FROM basket_items
  GROUP BY order_id
),
weighted AS (
  SELECT
    b.order_id,
    b.basket,
    b.size,
    CASE
      WHEN s.half_life_days IS NULL THEN CAST(1 AS DECIMAL(27, 26))
      ELSE CAST(POWER(2.0, -CAST(n.newest - b.day AS BIGINT) / s.half_life_days) AS DECIMAL(27, 26))
    END AS weight
  FROM baskets b
  CROSS JOIN settings s
  CROSS JOIN (SELECT MAX(day) AS newest FROM baskets) n
),
items AS (
  SELECT w.basket, i.sku_id, w.size, w.weight
  FROM basket_items i
  JOIN weighted w ON i.order_id = w.order_id
),
paired AS (
  SELECT basket, sku_id, weight FROM items WHERE size <= 100
),
pairs AS (
  SELECT a.sku_id AS sku_id, b.sku_id AS partner_id, COUNT(*) AS orders, SUM(a.weight) AS weight
  FROM paired a
  JOIN paired b ON a.basket = b.basket AND a.sku_id < b.sku_id
  GROUP BY a.sku_id, b.sku_id
),
product_counts AS (
  SELECT sku_id, COUNT(*) AS orders, SUM(weight) AS weight
  FROM items
  GROUP BY sku_id
)
SELECT 'total' AS kind, CAST(NULL AS STRING) AS sku, CAST(NULL AS STRING) AS partner,
  CAST(COUNT(*) AS BIGINT) AS orders, CAST(SUM(weight) AS DOUBLE) AS weight
FROM weighted
UNION ALL
SELECT 'bulk', NULL, NULL, CAST(COUNT(*) AS BIGINT), CAST(NULL AS DOUBLE)
FROM weighted WHERE size > 100
UNION ALL
SELECT 'product', k.sku, NULL, CAST(c.orders AS BIGINT), CAST(c.weight AS DOUBLE)
FROM product_counts c JOIN known k ON c.sku_id = k.sku_id
UNION ALL
SELECT 'pair', a.sku, b.sku, CAST(p.orders AS BIGINT), CAST(p.weight AS DOUBLE)
FROM pairs p
CROSS JOIN settings s
JOIN known a ON p.sku_id = a.sku_id
JOIN known b ON p.partner_id = b.sku_id
WHERE p.orders >= s.min_support
UNION ALL
SELECT 'min_support', NULL, NULL, CAST(min_support AS BIGINT), CAST(NULL AS DOUBLE)
FROM settings
UNION ALL
SELECT 'half_life_days', NULL, NULL, CAST(NULL AS BIGINT), CAST(half_life_days AS DOUBLE)
FROM settings
