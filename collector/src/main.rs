//! `treue-collector`: `serve` receives answers and events, `report` reads them back.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
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
    },
}

fn day(text: &str) -> Result<Date, String> {
    Date::parse(text).filter(|_| text.len() == 10).ok_or_else(|| format!("expected a date YYYY-MM-DD, found {text:?}"))
}

fn main() -> ExitCode {
    let result = match Cli::parse().command {
        Command::Serve { db, listen, allow_origin } => serve(db, listen, allow_origin),
        Command::Report { db, svg, from, to, survey, json } => run_report(db, svg, from, to, &survey, json),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("treue-collector: {message}");
            ExitCode::FAILURE
        }
    }
}

fn serve(db: PathBuf, listen: String, origins: Vec<String>) -> Result<(), String> {
    let running = server::start(server::Config { db: db.clone(), listen, origins: origins.clone() })?;
    // The first line says where: tests and scripts read the port from it.
    println!(
        "treue-collector listening on http://{} (db {}, origins {})",
        running.addr(),
        db.display(),
        origins.join(" ")
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
    let report = report::build(&store, survey, from, to)?;
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
