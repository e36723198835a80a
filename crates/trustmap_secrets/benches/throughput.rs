//! Secret-scan throughput, failing loudly when it collapses (rust-deps §5.4: one careless
//! pattern — Unicode `\b`, a missing keyword — can push the engine onto the slow path and
//! cut throughput by 100×).
//!
//!     cargo bench -p trustmap_secrets --bench throughput
//!
//! Scans a generated corpus (code and config lines with secret-ish keywords, base64 blobs,
//! non-ASCII text and a few real-format secrets) in 4 MiB pieces on all cores, best of 3,
//! plus every file under `$TRUSTMAP_BENCH_CORPUS` when set. Exits non-zero when throughput
//! is below `$TRUSTMAP_BENCH_MIN_MIBS` (default 25 MiB/s, a fraction of what a 2-core
//! machine does, so only a collapse trips it).

use std::time::Instant;

use rayon::prelude::*;
use trustmap_secrets::{FileContext, detectors, scanner};

const PIECE: usize = 4 * 1024 * 1024;

fn corpus(bytes: usize) -> Vec<u8> {
    let mut seed = 0x2545_F491_4F6C_DD1Du64;
    let mut rnd = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    const B64: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let lines: &[&str] = &[
        "    let value = compute(&input, options.timeout)?;",
        "resource \"aws_s3_bucket\" \"logs\" { bucket = \"acme-logs-prod\" }",
        "  image: registry.acme.io/orders:3.4.1",
        "def handler(event, context):",
        "    token = request.headers.get(\"Authorization\")",
        "password = var.db_password",
        "// Le mot de passe est stocké côté serveur → jamais ici ✓",
        "export const API_KEY_HEADER = 'X-Api-Key';",
        "      - name: DB_PASSWORD",
        "        valueFrom: { secretKeyRef: { name: db, key: password } }",
        "SELECT id, email FROM users WHERE created_at > now() - interval '1 day';",
        "<div class=\"container\">Привет, мир — 你好 🌍</div>",
        "secret_key = settings.SECRET_KEY",
        "{\"integrity\": \"sha512-Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5d2FsZG8=\"}",
    ];
    let mut out = Vec::with_capacity(bytes + 1024);
    while out.len() < bytes {
        let r = rnd();
        match r % 100 {
            0..=79 => out.extend_from_slice(lines[(r >> 8) as usize % lines.len()].as_bytes()),
            80..=94 => {
                out.extend_from_slice(b"data = \"");
                for _ in 0..(40 + (r >> 16) % 200) {
                    out.push(B64[(rnd() % 64) as usize]);
                }
                out.push(b'"');
            }
            _ => {
                // A real-format example from the tables, so the judge path runs too.
                let all = detectors::all();
                let d = all[(r >> 8) as usize % all.len()];
                out.extend_from_slice(d.examples[0].as_bytes());
            }
        }
        out.push(b'\n');
    }
    out
}

fn mibs(bytes: usize, secs: f64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0) / secs.max(1e-9)
}

fn run(name: &str, pieces: &[(String, Vec<u8>)]) -> f64 {
    let total: usize = pieces.iter().map(|(_, p)| p.len()).sum();
    let _ = scanner(); // compile outside the timing
    let mut best = 0.0f64;
    let mut hits = 0;
    for _ in 0..3 {
        let t = Instant::now();
        hits = pieces
            .par_iter()
            .map(|(path, p)| scanner().scan(p, &FileContext::from_path(path)).len())
            .sum::<usize>();
        best = best.max(mibs(total, t.elapsed().as_secs_f64()));
    }
    println!(
        "{name}: {:.1} MiB in {} pieces, {hits} hits, best of 3: {best:.1} MiB/s ({} threads)",
        total as f64 / (1024.0 * 1024.0),
        pieces.len(),
        rayon::current_num_threads()
    );
    best
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let min: f64 = std::env::var("TRUSTMAP_BENCH_MIN_MIBS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(25.0);
    let t = Instant::now();
    let _ = scanner();
    println!(
        "compile: {} detectors in {:.0} ms",
        detectors::all().len(),
        t.elapsed().as_secs_f64() * 1000.0
    );
    let data = corpus(64 * 1024 * 1024);
    let pieces: Vec<(String, Vec<u8>)> = data
        .chunks(PIECE)
        .enumerate()
        .map(|(i, c)| (format!("src/piece{i}.txt"), c.to_vec()))
        .collect();
    let mut worst = run("generated", &pieces);
    if let Ok(dir) = std::env::var("TRUSTMAP_BENCH_CORPUS") {
        let mut files = Vec::new();
        let mut stack = vec![std::path::PathBuf::from(dir)];
        while let Some(d) = stack.pop() {
            let Ok(entries) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in entries.flatten() {
                let p = e.path();
                if p.file_name().is_some_and(|n| n == ".git") {
                    continue;
                }
                if p.is_dir() {
                    stack.push(p);
                } else if let Ok(b) = std::fs::read(&p)
                    && b.len() <= 8 << 20
                    && !b[..b.len().min(8192)].contains(&0)
                {
                    files.push((p.display().to_string(), b));
                }
            }
        }
        worst = worst.min(run("corpus", &files));
    }
    if worst < min {
        eprintln!(
            "FAIL: secret-scan throughput {worst:.1} MiB/s is below {min} MiB/s — a detector \
             probably pushed the regex engine off its fast path (Unicode \\b? a keyword-less \
             pattern? a huge window?)"
        );
        std::process::exit(1);
    }
    println!("ok: {worst:.1} MiB/s >= {min} MiB/s");
}
