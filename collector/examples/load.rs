//! The load generator of scripts/bench-collector: CONNECTIONS keep-alive
//! connections to a collector on loopback post REQUESTS answers in all, each
//! with an id of its own; prints requests/s, the latency percentiles and how
//! many were acknowledged. Speaks just enough HTTP/1.1 for the collector.
//!
//! Usage: load ADDR CONNECTIONS REQUESTS [PREFIX]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

fn body(id: &str) -> String {
    format!(
        r#"{{"id":"{id}","survey":"nps","score":9,"reasons":[],"comment":null,"customer_id":null,"segment":"A","tier":"gold","page":"thank_you","locale":"de","answered_at":"2026-11-25T14:00:00.000Z"}}"#
    )
}

/// Sends one answer on `stream`; the status and whether the server closes the
/// connection, or `None` when the connection failed.
fn send(stream: &mut BufReader<TcpStream>, id: &str) -> Option<(u16, bool)> {
    let body = body(id);
    let head = format!(
        "POST /v1/answers HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let socket = stream.get_mut();
    socket.write_all(head.as_bytes()).ok()?;
    socket.write_all(body.as_bytes()).ok()?;
    let mut line = String::new();
    stream.read_line(&mut line).ok()?;
    let status = line.split(' ').nth(1)?.parse().ok()?;
    let mut length = 0usize;
    let mut close = false;
    loop {
        line.clear();
        stream.read_line(&mut line).ok()?;
        let header = line.trim_end();
        if header.is_empty() {
            break;
        }
        let (name, value) = header.split_once(':')?;
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse().ok()?;
        } else if name.eq_ignore_ascii_case("connection") && value.trim().eq_ignore_ascii_case("close") {
            close = true;
        }
    }
    let mut rest = vec![0; length];
    stream.read_exact(&mut rest).ok()?;
    Some((status, close))
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(addr), Some(connections), Some(requests)) = (
        args.get(1).and_then(|a| a.parse::<SocketAddr>().ok()),
        args.get(2).and_then(|a| a.parse::<usize>().ok()),
        args.get(3).and_then(|a| a.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: load ADDR CONNECTIONS REQUESTS [PREFIX]");
        std::process::exit(2);
    };
    assert!(addr.ip().is_loopback(), "loopback only");
    let prefix = args.get(4).cloned().unwrap_or_else(|| "b".to_string());
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let workers: Vec<_> = (0..connections)
        .map(|_| {
            let (next, prefix) = (Arc::clone(&next), prefix.clone());
            std::thread::spawn(move || {
                let mut latencies = Vec::new();
                let mut acknowledged = 0usize;
                let mut stream = None;
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= requests {
                        break;
                    }
                    let id = format!("a-{prefix}-{n}");
                    let sent = Instant::now();
                    if stream.is_none() {
                        stream = TcpStream::connect(addr).ok().map(|s| {
                            let _ = s.set_nodelay(true);
                            let _ = s.set_read_timeout(Some(Duration::from_secs(30)));
                            BufReader::new(s)
                        });
                    }
                    let status = stream.as_mut().and_then(|s| send(s, &id));
                    latencies.push(sent.elapsed());
                    match status {
                        Some((200, close)) => {
                            acknowledged += 1;
                            if close {
                                stream = None;
                            }
                        }
                        Some((_, close)) if !close => {}
                        _ => stream = None,
                    }
                }
                (latencies, acknowledged)
            })
        })
        .collect();
    let mut latencies = Vec::with_capacity(requests);
    let mut acknowledged = 0;
    for w in workers {
        if let Ok((l, a)) = w.join() {
            latencies.extend(l);
            acknowledged += a;
        }
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let at = |q: f64| latencies.get(((latencies.len() as f64 * q) as usize).min(latencies.len().saturating_sub(1)));
    let ms = |d: Option<&Duration>| d.map_or(0.0, |d| d.as_secs_f64() * 1000.0);
    println!(
        "connections {connections:>4}  requests {requests:>6}  acknowledged {acknowledged:>6}  {:>7.0} requests/s  p50 {:>6.1} ms  p99 {:>6.1} ms  max {:>6.1} ms",
        requests as f64 / elapsed.as_secs_f64(),
        ms(at(0.50)),
        ms(at(0.99)),
        ms(latencies.last()),
    );
}
