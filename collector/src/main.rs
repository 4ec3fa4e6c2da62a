//! `treue-collector`: `serve` receives answers and events, `report` reads them back.

use std::net::IpAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Args, Parser, Subcommand};
use treue_collector::limit::{ClientAddress, Rate};
use treue_collector::server::Limits;
use treue_collector::verify::Secret;
use treue_collector::{chart, report, server, store::Store};
use treue_core::date::Date;

#[derive(Parser)]
#[command(
    name = "treue-collector",
    version,
    about = "Reference collector of treue: NPS answers and widget events into SQLite, and the NPS report"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Receive answers and events over HTTP (POST /v1/answers, POST /v1/events, GET /health).
    Serve {
        /// The SQLite file; created when missing.
        #[arg(long)]
        db: PathBuf,
        /// Address and port to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:8081")]
        listen: String,
        /// A shop origin allowed to send (scheme://host[:port]); repeat for several.
        #[arg(long = "allow-origin", required = true, value_parser = server::origin)]
        allow_origin: Vec<String>,
        #[command(flatten)]
        protection: Protection,
    },
    /// Print NPS overall and by segment, tier and week; optionally draw the weekly chart.
    Report {
        /// The SQLite file the server writes.
        #[arg(long)]
        db: PathBuf,
        /// Write the chart of NPS by week here (SVG).
        #[arg(long)]
        svg: Option<PathBuf>,
        /// First day included (YYYY-MM-DD, UTC day of answered_at).
        #[arg(long, value_parser = day)]
        from: Option<Date>,
        /// Last day included (YYYY-MM-DD).
        #[arg(long, value_parser = day)]
        to: Option<Date>,
        /// The survey id from the rules.
        #[arg(long, default_value = "nps")]
        survey: String,
        /// Print the report as JSON instead of a table.
        #[arg(long)]
        json: bool,
        /// Count only answers the shop's order token verified (displays still count in full).
        #[arg(long)]
        verified_only: bool,
    },
}

/// The limits of docs/collector.md; every default is the documented one.
#[derive(Args)]
struct Protection {
    /// Connections served at once; more get 503 until some close (kept below the open-file limit).
    #[arg(long, default_value_t = Limits::default().max_connections)]
    max_connections: usize,
    /// Seconds for a request's headers to arrive (and for an idle connection to wait).
    #[arg(long, default_value_t = Limits::default().header_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    header_timeout: u64,
    /// Seconds for a request's body to arrive.
    #[arg(long, default_value_t = Limits::default().body_timeout.as_secs(), value_parser = clap::value_parser!(u64).range(1..))]
    body_timeout: u64,
    /// Request line and headers together, at most this many bytes (431 beyond; at least 8192).
    #[arg(long, default_value_t = Limits::default().max_header_bytes as u64, value_parser = clap::value_parser!(u64).range(8192..))]
    max_header_bytes: u64,
    /// Requests per client address, as COUNT/UNIT (s, min, h, day), or "off".
    #[arg(long, default_value = "120/min", value_parser = rate)]
    rate_per_address: Budget,
    /// Answers per customer id, as COUNT/UNIT, or "off".
    #[arg(long, default_value = "20/h", value_parser = rate)]
    rate_per_customer: Budget,
    /// A reverse proxy whose forwarded header names the client (repeat for several); without one the header is ignored.
    #[arg(long = "trusted-proxy")]
    trusted_proxies: Vec<IpAddr>,
    /// The header the trusted proxies write the client's address in.
    #[arg(long, default_value = "X-Forwarded-For")]
    client_address_header: String,
    /// A file holding the secret the shop's backend signs order tokens with; without it no answer is verified.
    #[arg(long)]
    order_secret_file: Option<PathBuf>,
    /// Seconds the requests in hand may take to finish after SIGTERM.
    #[arg(long, default_value_t = Limits::default().shutdown_grace.as_secs())]
    shutdown_grace: u64,
}

/// A rate limit or none ("off").
#[derive(Clone, Copy)]
struct Budget(Option<Rate>);

fn rate(text: &str) -> Result<Budget, String> {
    if text == "off" {
        Ok(Budget(None))
    } else {
        Rate::parse(text).map(|r| Budget(Some(r)))
    }
}

impl Protection {
    fn limits(&self) -> Limits {
        Limits {
            max_connections: self.max_connections.max(1),
            header_timeout: Duration::from_secs(self.header_timeout),
            body_timeout: Duration::from_secs(self.body_timeout),
            max_header_bytes: usize::try_from(self.max_header_bytes).unwrap_or(usize::MAX),
            per_address: self.rate_per_address.0,
            per_customer: self.rate_per_customer.0,
            shutdown_grace: Duration::from_secs(self.shutdown_grace),
        }
    }

    fn secret(&self) -> Result<Option<Secret>, String> {
        let Some(path) = &self.order_secret_file else { return Ok(None) };
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Secret::new(text.trim().as_bytes().to_vec()).map(Some).map_err(|e| format!("{}: {e}", path.display()))
    }
}

fn day(text: &str) -> Result<Date, String> {
    Date::parse(text).filter(|_| text.len() == 10).ok_or_else(|| format!("expected a date YYYY-MM-DD, found {text:?}"))
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Serve { db, listen, allow_origin, protection } => serve(db, listen, allow_origin, &protection),
        Command::Report { db, svg, from, to, survey, json, verified_only } => {
            let count = if verified_only { report::Count::VerifiedOnly } else { report::Count::All };
            run_report(db, svg, from, to, &survey, json, count)
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("treue-collector: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(db: PathBuf, listen: String, origins: Vec<String>, protection: &Protection) -> Result<(), String> {
    let limits = protection.limits();
    let secret = protection.secret()?;
    let verifying = if secret.is_some() { "verifying order tokens" } else { "no order secret" };
    let off = |r: Option<Rate>| r.map_or_else(|| "off".to_string(), |r| r.to_string());
    let (per_address, per_customer) = (off(limits.per_address), off(limits.per_customer));
    let client = ClientAddress {
        trusted_proxies: protection.trusted_proxies.clone(),
        header: protection.client_address_header.clone(),
    };
    let running = server::start(server::Config {
        db: db.clone(),
        listen,
        origins: origins.clone(),
        limits,
        client,
        secret,
        signals: true,
    })?;
    // The first line says where: tests and scripts read the port from it.
    println!(
        "treue-collector listening on http://{} (db {}, origins {}; at most {} connections, {per_address} per address, {per_customer} per customer, {verifying})",
        running.addr(),
        db.display(),
        origins.join(" "),
        running.max_connections(),
    );
    running.wait();
    Ok(())
}

fn run_report(
    db: PathBuf,
    svg: Option<PathBuf>,
    from: Option<Date>,
    to: Option<Date>,
    survey: &str,
    json: bool,
    count: report::Count,
) -> Result<(), String> {
    if from.zip(to).is_some_and(|(f, t)| f > t) {
        return Err("--from is after --to".to_string());
    }
    if !db.is_file() {
        return Err(format!(
            "{}: no such database (start `treue-collector serve --db {}` first)",
            db.display(),
            db.display()
        ));
    }
    let store = Store::open(&db)?;
    let report = report::build(&store, survey, from, to, count)?;
    if let Some(path) = &svg {
        std::fs::write(path, chart::svg(&report)).map_err(|e| format!("{}: {e}", path.display()))?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
    } else {
        print!("{}", report::text(&report));
    }
    Ok(())
}
