"""Runs sql/pair_counts.sql on DuckDB or Spark (local mode) over a products
CSV and an orders CSV, and writes the counts that `treue compile --counts`
reads. Called by scripts/pair-counts, which picks the Python that
scripts/setup installed the engines into.

The SQL is the part a shop runs where its data lives; this runner only binds
the files to the tables the SQL reads (orders, products, settings).
"""

import argparse
import csv
import os
import shutil
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SQL = os.path.join(ROOT, "sql", "pair_counts.sql")
ORDER_COLUMNS = ["order_id", "sku", "quantity", "date"]


def header(path):
    """The CSV's columns and separator, the separator told as treue compile does (most of , ; tab)."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        first = f.readline()
    delimiter = max([",", ";", "\t"], key=first.count)
    columns = [c.strip() for c in next(csv.reader([first], delimiter=delimiter))]
    return columns, delimiter


def check_columns(path, columns, required):
    missing = [c for c in required if c not in columns]
    if missing:
        sys.exit(f"{path}:1: required column(s) missing: {', '.join(missing)}")


def order_select(columns, source):
    """The four columns the SQL reads; a missing quantity column reads as empty."""
    picked = [c if c in columns else f"CAST(NULL AS STRING) AS {c}" for c in ORDER_COLUMNS]
    return f"SELECT {', '.join(picked)} FROM {source}"


def settings_select(args):
    half_life = "CAST(NULL AS DOUBLE)" if args.half_life_days is None else f"CAST({args.half_life_days!r} AS DOUBLE)"
    return f"SELECT {half_life} AS half_life_days, CAST({args.min_support} AS INT) AS min_support"


def sql_text(path):
    return "'" + path.replace("'", "''") + "'"


def run_duckdb(args, query, orders, products):
    import duckdb

    (order_columns, order_sep), (product_columns, product_sep) = orders, products
    # Capped: DuckDB's own default is 80 % of the machine's memory (19 GB at a
    # million products on 24 GiB), where other work shares the machine. Above
    # the cap it spills to disk, beside the output, and removes that after.
    spill = args.out + ".spill"
    config = {
        "memory_limit": args.memory_limit,
        "threads": args.threads,
        "temp_directory": spill,
        "preserve_insertion_order": False,
    }
    con = duckdb.connect(config=config)

    def read(path, sep):
        # Rows with the wrong number of cells are skipped, as treue compile skips them.
        return (
            f"read_csv({sql_text(path)}, header = true, all_varchar = true, delim = {sql_text(sep)}, "
            "quote = '\"', escape = '\"', ignore_errors = true)"
        )

    con.execute(f"CREATE VIEW orders AS {order_select(order_columns, read(args.orders, order_sep))}")
    con.execute(f"CREATE VIEW products AS SELECT sku FROM {read(args.products, product_sep)}")
    con.execute(f"CREATE VIEW settings AS {settings_select(args)}")
    try:
        con.execute(f"COPY ({query}) TO {sql_text(args.out)} (FORMAT csv, HEADER true)")
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def run_spark(args, query, orders, products):
    from pyspark.sql import SparkSession

    (order_columns, order_sep), (_, product_sep) = orders, products
    spark = (
        SparkSession.builder.master(f"local[{args.threads}]")
        .appName("treue pair counts")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", args.spark_memory)
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")

    def read(path, sep):
        return (
            spark.read.option("header", True)
            .option("sep", sep)
            .option("quote", '"')
            .option("escape", '"')
            .option("mode", "DROPMALFORMED")
            .csv(path)
        )

    read(args.orders, order_sep).createOrReplaceTempView("orders_file")
    read(args.products, product_sep).createOrReplaceTempView("products_file")
    spark.sql(order_select(order_columns, "orders_file")).createOrReplaceTempView("orders")
    spark.sql("SELECT sku FROM products_file").createOrReplaceTempView("products")
    spark.sql(settings_select(args)).createOrReplaceTempView("settings")
    # A directory of part files, each with the header; `treue compile --counts DIR` reads them all.
    spark.sql(query).write.mode("overwrite").option("header", True).csv(args.out)
    jvm_usage(spark.sparkContext._gateway.proc.pid)
    spark.stop()


def jvm_usage(pid):
    """The JVM's CPU time and peak memory, which a timer around this script cannot see."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open(f"/proc/{pid}/status") as f:
            peak = next(line.split()[1] for line in f if line.startswith("VmHWM:"))
    except (OSError, StopIteration):
        return
    cpu = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    print(f"spark JVM: CPU {cpu:.1f} s, peak {int(peak) // 1024} MB", file=sys.stderr)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--products", required=True, help="products CSV (its sku column is read)")
    p.add_argument("--orders", required=True, help="orders CSV: order_id,customer_id,sku,quantity,date")
    p.add_argument("--out", required=True, help="counts CSV to write (Spark: a directory of part files)")
    p.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    p.add_argument("--half-life-days", type=float, help="as treue compile's --half-life-days")
    p.add_argument("--min-support", type=int, default=2, help="as treue compile's --min-support (default 2)")
    p.add_argument("--threads", type=int, default=2, help="threads (default 2)")
    p.add_argument(
        "--memory-limit",
        default="4GB",
        help="DuckDB's memory_limit, spilling to disk above it (default 4GB; DuckDB's own is 80%% of the machine's)",
    )
    p.add_argument("--spark-memory", default="4g", help="Spark driver memory in local mode (default 4g)")
    args = p.parse_args()
    if args.half_life_days is not None and not args.half_life_days > 0:
        sys.exit(f"--half-life-days {args.half_life_days} is not a positive number of days")
    orders, products = header(args.orders), header(args.products)
    check_columns(args.orders, orders[0], ["order_id", "sku", "date"])
    check_columns(args.products, products[0], ["sku"])
    with open(SQL, encoding="utf-8") as f:
        query = f.read()
    started = time.monotonic()
    (run_duckdb if args.engine == "duckdb" else run_spark)(args, query, orders, products)
    print(f"{args.engine}: wrote {args.out} in {time.monotonic() - started:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
