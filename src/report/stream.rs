//! The report as a stream: each file's findings are written as soon as the file (and every
//! file before it) is scanned, then dropped.
//!
//! Why: a large run holds hundreds of thousands of findings, and holding them all until the end
//! made peak memory grow with the size of the run. Text, JSON and JSON Lines have a per-file
//! body and a small tail (files, breaches, summary, built from tallies), so they stream; SARIF,
//! GitHub annotations and JUnit are rendered from the whole outcome at the end, as before.
//!
//! Output to `-o FILE` still appears atomically: the stream writes a temporary file beside the
//! target (random name, created exclusively: see [`super::temp_beside`]) and renames it when
//! the report is complete; a run that fails drops it, which removes it.

use super::{json, text};
use crate::cli::Format;
use crate::config::Config;
use crate::error::{Error, Result};
use crate::scan::{FileResult, Outcome, Sink};
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;

/// Where the streamed bytes go.
enum Target {
    Stdout(BufWriter<std::io::StdoutLock<'static>>),
    /// A device or FIFO named by `-o`, written in place (see [`super::is_special`]).
    Device(BufWriter<File>, PathBuf),
    /// A temporary file (random name, created exclusively), renamed to `path` by
    /// [`Stream::finish`]; dropped unpersisted, it is removed.
    File {
        out: BufWriter<tempfile::NamedTempFile>,
        path: PathBuf,
    },
}

impl Target {
    fn writer(&mut self) -> &mut dyn Write {
        match self {
            Target::Stdout(w) => w,
            Target::Device(w, _) => w,
            Target::File { out, .. } => out,
        }
    }
}

/// A [`Sink`] that writes the report while the scan runs (see the module docs).
#[derive(Default)]
pub struct Stream {
    /// Set by `start` for the streamable formats.
    live: Option<Live>,
    /// The run's progress bar, kept out of the way of lines written to a terminal.
    progress: super::progress::Progress,
}

struct Live {
    format: Format,
    style: text::Style,
    target: Target,
    /// Whether a finding was written (JSON needs a comma before the next file's findings).
    wrote: bool,
    /// Whether the document's head was written: not before the first file, so that a run that
    /// fails on its config after `start` prints nothing on stdout.
    opened: bool,
    /// The first write error; later writes are skipped and `finish` reports it.
    error: Option<std::io::Error>,
    buf: Vec<u8>,
}

impl Sink for Stream {
    fn start(&mut self, config: &Config) -> Result<()> {
        if !matches!(config.format, Format::Text | Format::Json | Format::Jsonl) {
            return Ok(());
        }
        let target = match &config.output {
            None => Target::Stdout(BufWriter::new(std::io::stdout().lock())),
            Some(path) if super::is_special(path) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|source| Error::Output { target: path.display().to_string(), source })?;
                Target::Device(BufWriter::new(file), path.clone())
            }
            Some(path) => {
                let tmp = super::temp_beside(path)
                    .map_err(|source| Error::Output { target: path.display().to_string(), source })?;
                Target::File { out: BufWriter::new(tmp), path: path.clone() }
            }
        };
        self.live = Some(Live {
            format: config.format,
            style: text::Style::of(config),
            target,
            wrote: false,
            opened: false,
            error: None,
            buf: Vec::new(),
        });
        Ok(())
    }

    fn file(&mut self, file: &mut FileResult) {
        let Some(live) = &mut self.live else { return };
        live.open();
        if live.error.is_none() {
            let mut buf = std::mem::take(&mut live.buf);
            buf.clear();
            let r = match live.format {
                Format::Text => text::write_file(file, live.style, &mut buf),
                Format::Jsonl => json::lines_part(&file.findings, &mut buf),
                _ => {
                    if live.wrote && !file.findings.is_empty() {
                        buf.push(b',');
                    }
                    json::findings_part(&file.findings, b',', &mut buf)
                }
            };
            live.wrote |= !file.findings.is_empty();
            let r = r.and_then(|()| match &mut live.target {
                // Lines and the bar share the terminal: write and flush with the bar suspended.
                Target::Stdout(w) if self.progress.is_shown() => self.progress.suspend(|| {
                    w.write_all(&buf)?;
                    w.flush()
                }),
                t => t.writer().write_all(&buf),
            });
            live.record(r);
            live.buf = buf;
        }
        file.release();
    }
}

impl Live {
    /// Writes the head of the document once.
    fn open(&mut self) {
        if !self.opened && self.format == Format::Json {
            let r = json::write_head(self.target.writer());
            self.record(r);
        }
        self.opened = true;
    }

    fn record(&mut self, r: std::io::Result<()>) {
        if let Err(e) = r {
            self.error.get_or_insert(e);
        }
    }
}

impl Stream {
    /// Returns a stream that keeps report lines and the progress bar `progress` apart.
    pub fn with_progress(progress: super::progress::Progress) -> Stream {
        Stream { live: None, progress }
    }

    /// Completes the report: the tail of a streamed format, or the whole report of the others
    /// (see [`super::emit`]).
    pub fn finish(mut self, outcome: &Outcome, config: &Config) -> Result<()> {
        let Some(mut live) = self.live.take() else { return super::emit(outcome, config) };
        live.open();
        if live.error.is_none() {
            let out = live.target.writer();
            let r = match live.format {
                Format::Json => json::write_tail(outcome, out),
                Format::Jsonl => json::write_summary_line(outcome, out),
                _ => text::write_tail(outcome, live.style, out),
            };
            live.record(r);
        }
        let Live { target, error, .. } = live;
        match target {
            Target::Stdout(mut w) => {
                let r = error.map_or_else(|| w.flush(), Err);
                match r {
                    // A closed pipe (`phiscan scan | head`) is the reader's choice, not our error.
                    Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                    r => r.map_err(|source| Error::Output { target: "stdout".into(), source }),
                }
            }
            Target::Device(mut w, path) => {
                let r = error.map_or_else(|| w.flush(), Err);
                r.map_err(|source| Error::Output { target: path.display().to_string(), source })
            }
            Target::File { out, path } => {
                let r = match error {
                    Some(e) => Err(e),
                    None => {
                        out.into_inner().map_err(|e| e.into_error()).and_then(|f| f.as_file().sync_all().map(|()| f))
                    }
                };
                // A failed persist hands the temporary file back; dropping it removes it.
                let r = r.and_then(|f| f.persist(&path).map(drop).map_err(|e| e.error));
                r.map_err(|source| Error::Output { target: path.display().to_string(), source })
            }
        }
    }
}
