//! Serving HTTP (docs/protocol.md, docs/collector.md): the listener, the cap
//! on connections, the per-connection limits and the shutdown. One client can
//! hold one connection's task and nothing else: headers must arrive within
//! `header_timeout` and fit in `max_header_bytes`, bodies within
//! `body_timeout`; over `max_connections`, new connections get a 503 at once
//! and the collector serves again as soon as connections close. A failed
//! accept (out of file descriptors) pauses the loop briefly and is retried.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{oneshot, Semaphore};

use crate::handler::{self, State};
use crate::limit::{ClientAddress, Limiter, Rate};
use crate::store::Store;
use crate::verify::Secret;
use crate::writer;

/// What a shop can tune; `Limits::default()` are the documented defaults.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections served at once; more are answered 503 and closed. Kept below the open-file limit.
    pub max_connections: usize,
    /// Time for a request's headers to arrive (also how long an idle keep-alive connection may wait).
    pub header_timeout: Duration,
    /// Time for a request's body to arrive once its headers have.
    pub body_timeout: Duration,
    /// Request line and headers together, at most.
    pub max_header_bytes: usize,
    /// Requests per client address; `None` for no limit.
    pub per_address: Option<Rate>,
    /// Answers per customer id; `None` for no limit.
    pub per_customer: Option<Rate>,
    /// On SIGTERM, how long requests in hand may take to finish.
    pub shutdown_grace: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_header_bytes: 32 * 1024,
            per_address: Rate::parse("120/min").ok(),
            per_customer: Rate::parse("20/h").ok(),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

pub struct Config {
    pub db: PathBuf,
    pub listen: String,
    /// Normalised origins ("https://shop.example", no trailing slash).
    pub origins: Vec<String>,
    pub limits: Limits,
    pub client: ClientAddress,
    /// The shop's order-signing secret; without it no answer is verified.
    pub secret: Option<Secret>,
    /// Stop on SIGTERM and SIGINT (the binary); tests stop with `Running::stop`.
    pub signals: bool,
}

/// A started collector; `stop` ends it after the requests in hand and closes the database.
pub struct Running {
    addr: SocketAddr,
    max_connections: usize,
    stop: Option<oneshot::Sender<()>>,
    thread: JoinHandle<()>,
}

impl Running {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The connection cap in force (the configured one, or lower under a small open-file limit).
    pub fn max_connections(&self) -> usize {
        self.max_connections
    }

    /// Serves until a signal (with `signals`) ends it.
    pub fn wait(self) {
        let _ = self.thread.join();
    }

    /// Stops accepting, lets the requests in hand finish, writes what was received, closes the database.
    pub fn stop(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let _ = self.thread.join();
    }
}

/// Checks an `--allow-origin` value: scheme, host and optional port, nothing else.
pub fn origin(text: &str) -> Result<String, String> {
    let trimmed = text.trim_end_matches('/');
    let host = trimmed.strip_prefix("https://").or_else(|| trimmed.strip_prefix("http://"));
    match host {
        Some(host) if !host.is_empty() && host.is_ascii() && !host.contains(['/', '?', '#', '*', ' ']) => {
            Ok(trimmed.to_string())
        }
        _ => Err(format!(
            "expected an origin (scheme, host, optional port; an international domain in its xn-- form) \
             such as https://shop.example or http://127.0.0.1:8080, found {text:?}"
        )),
    }
}

/// Raises the open-file limit to what the system allows and returns it.
fn open_file_limit() -> u64 {
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit and setrlimit only read and write the struct passed.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 1024;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit { rlim_cur: limit.rlim_max, rlim_max: limit.rlim_max };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

/// Descriptors kept free of connections: the database, its journal, the listener, refusals in flight.
const SPARE_FILES: u64 = 64;
/// 503 answers written at once to connections over the cap; beyond them a connection is just closed.
const REFUSALS: usize = 32;

/// Opens the database, binds the address and serves on a thread of its own.
pub fn start(config: Config) -> Result<Running, String> {
    let store = Store::open(&config.db)?;
    let listener =
        std::net::TcpListener::bind(&config.listen).map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let addr = listener.local_addr().map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    listener.set_nonblocking(true).map_err(|e| format!("cannot listen on {}: {e}", config.listen))?;
    let files = open_file_limit();
    let max_connections = config.limits.max_connections.min(files.saturating_sub(SPARE_FILES).max(1) as usize);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_name("treue-collector")
        .build()
        .map_err(|e| format!("cannot start the runtime: {e}"))?;
    let (stop, stopped) = oneshot::channel();
    let thread = std::thread::spawn(move || {
        let writer = runtime.block_on(serve(listener, store, config, max_connections, stopped));
        // Ends the connections still open after the grace period: their requests were not acknowledged.
        drop(runtime);
        // The writer finishes what it was handed (everything it acknowledged is committed), then ends.
        if let Some(writer) = writer {
            let _ = writer.join();
        }
    });
    Ok(Running { addr, max_connections, stop: Some(stop), thread })
}

async fn serve(
    listener: std::net::TcpListener,
    store: Store,
    config: Config,
    max_connections: usize,
    stopped: oneshot::Receiver<()>,
) -> Option<JoinHandle<()>> {
    let listener = match TcpListener::from_std(listener) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("treue-collector: cannot listen: {e}");
            return None;
        }
    };
    let (jobs, writer) = writer::start(store);
    let limits = config.limits.clone();
    let state = Arc::new(State {
        origins: config.origins,
        client: config.client,
        secret: config.secret,
        per_address: Limiter::new(limits.per_address),
        per_customer: Limiter::new(limits.per_customer),
        body_timeout: limits.body_timeout,
        jobs,
        limited: AtomicU64::new(0),
    });
    let connections = Arc::new(Semaphore::new(max_connections));
    let refusals = Arc::new(Semaphore::new(REFUSALS));
    let refused = Arc::new(AtomicU64::new(0));
    let graceful = GracefulShutdown::new();
    let mut builder = http1::Builder::new();
    builder
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_buf_size(limits.max_header_bytes.max(8192))
        .max_headers(100);

    let housekeeping = tokio::spawn(housekeeping(Arc::clone(&state), Arc::clone(&refused)));
    let mut stopped = std::pin::pin!(stopping(stopped, config.signals));
    loop {
        let accepted = tokio::select! {
            () = &mut stopped => break,
            accepted = listener.accept() => accepted,
        };
        match accepted {
            Ok((stream, peer)) => {
                let Ok(permit) = Arc::clone(&connections).try_acquire_owned() else {
                    refused.fetch_add(1, Ordering::Relaxed);
                    refuse(stream, &refusals);
                    continue;
                };
                let _ = stream.set_nodelay(true);
                let state = Arc::clone(&state);
                let peer: IpAddr = peer.ip();
                let service = service_fn(move |request| handler::handle(Arc::clone(&state), peer, request));
                let connection = graceful.watch(builder.serve_connection(TokioIo::new(stream), service));
                tokio::spawn(async move {
                    // A client that misbehaves (timeouts, oversized headers) ends only its own connection.
                    let _ = connection.await;
                    drop(permit);
                });
            }
            Err(e) => {
                // Out of file descriptors (or a connection reset before accept): wait for some to close.
                eprintln!("treue-collector: cannot accept a connection: {e}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    }
    drop(listener);
    housekeeping.abort();
    tokio::select! {
        () = graceful.shutdown() => {}
        () = tokio::time::sleep(limits.shutdown_grace) => {
            eprintln!("treue-collector: stopping with requests still open after {:?}", limits.shutdown_grace);
        }
    }
    Some(writer)
}

/// Resolves on `stop`, or on SIGTERM / SIGINT when `signals`.
async fn stopping(stop: oneshot::Receiver<()>, signals: bool) {
    if !signals {
        let _ = stop.await;
        return;
    }
    use tokio::signal::unix::{signal, SignalKind};
    let (Ok(mut term), Ok(mut int)) = (signal(SignalKind::terminate()), signal(SignalKind::interrupt())) else {
        let _ = stop.await;
        return;
    };
    tokio::select! {
        _ = stop => {}
        _ = term.recv() => eprintln!("treue-collector: SIGTERM, stopping after the requests in hand"),
        _ = int.recv() => eprintln!("treue-collector: SIGINT, stopping after the requests in hand"),
    }
}

/// A connection over the cap: a short 503 if one can be written at once, else just closed.
fn refuse(mut stream: TcpStream, refusals: &Arc<Semaphore>) {
    let Ok(permit) = Arc::clone(refusals).try_acquire_owned() else { return };
    tokio::spawn(async move {
        let body = r#"{"ok":false,"error":"too many connections; try again shortly"}"#;
        let reply = format!(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json; charset=utf-8\r\n\
             Cache-Control: no-store\r\nRetry-After: 1\r\nConnection: close\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        let _ = tokio::time::timeout(Duration::from_secs(1), stream.write_all(reply.as_bytes())).await;
        let _ = stream.shutdown().await;
        drop(permit);
    });
}

/// Once a minute: forget rate budgets that are full again, and say how much was refused.
async fn housekeeping(state: Arc<State>, refused: Arc<AtomicU64>) {
    let mut tick = tokio::time::interval(Duration::from_secs(60));
    tick.tick().await;
    loop {
        tick.tick().await;
        state.per_address.prune();
        state.per_customer.prune();
        let (limited, refused) = (state.limited.swap(0, Ordering::Relaxed), refused.swap(0, Ordering::Relaxed));
        if limited > 0 || refused > 0 {
            eprintln!("treue-collector: last minute: {limited} requests over a rate limit (429), {refused} connections over the cap (503)");
        }
    }
}
